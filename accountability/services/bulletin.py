"""一月一通报: build, store and regenerate the monthly bulletin.

A bulletin's content is a snapshot (JSON) of the month taken when it is generated; the page and
the .xlsx render that snapshot, so what was published stays what was published.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError, TransitionNotAllowed
from core.models import Region, RegionLevel
from core.pii import mask_id_numbers
from core.scoping import ensure_can_write
from core.transitions import can_transition, record_created, transition
from inspections.models import Finding, RectificationItem
from inspections.selectors import overdue_on

from ..models import (
    AccountabilityCase,
    AccountabilitySettings,
    Bulletin,
    BulletinStatus,
    CaseStatus,
    CaseStatusChange,
    CaseType,
    MonthlyScore,
)
from ..periods import month_end, next_month
from .bulletin_absences import absences_section
from .bulletin_rates import error_rates_section
from .bulletin_targets import targets_section
from .bulletin_trend import trend_section
from .bulletin_villages import villages_section

logger = logging.getLogger(__name__)


def _counties(region: Region) -> list[Region]:
    return list(
        Region.objects.filter(level=RegionLevel.COUNTY, code__startswith=region.prefix).order_by("code")
    )


def _county_of(code: str) -> str:
    return code[:6].ljust(12, "0")


def _in_month(field: str, month: dt.date) -> Q:
    return Q(**{f"{field}__date__gte": month, f"{field}__date__lt": next_month(month)})


def findings_section(region: Region, month: dt.date, counties: list[Region]) -> dict:
    categories = [
        {"code": c, "label": str(label)} for c, label in Finding._meta.get_field("category").choices
    ]
    qs = (
        Finding.objects.filter(_in_month("confirmed_at", month), status="confirmed", region__code__startswith=region.prefix)
        .values_list("region_id", "category")
    )  # fmt: skip
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, category in qs:
        counts[_county_of(code)][category] += 1
    rows = []
    for county in counties:
        c = counts.get(county.code, {})
        rows.append({
            "code": county.code, "county": county.name, "counts": {k["code"]: c.get(k["code"], 0) for k in categories},
            "total": sum(c.values()),
        })  # fmt: skip
    totals = {k["code"]: sum(r["counts"][k["code"]] for r in rows) for k in categories}
    return {
        "available": True,
        "categories": categories,
        "rows": rows,
        "totals": totals,
        "total": sum(totals.values()),
    }


def rectifications_section(region: Region, month: dt.date, counties: list[Region]) -> dict:
    end = month_end(month)
    base = RectificationItem.objects.filter(region__code__startswith=region.prefix, created_at__date__lte=end)
    closed_by_end = Q(closed_at__isnull=False, closed_at__date__lte=end)
    # Overdue at the end of the month: the one definition the daily job uses, on the 1st of the next.
    overdue = overdue_on(next_month(month))
    # One query for every county (grouped by the county part of the code) instead of one per county.
    by_county = {
        r.pop("county").ljust(12, "0"): r
        for r in base.annotate(county=Substr("region_id", 1, 6)).order_by().values("county").annotate(
            total=Count("pk"), closed=Count("pk", filter=closed_by_end),
            closed_in_month=Count("pk", filter=closed_by_end & Q(closed_at__date__gte=month)),
            overdue=Count("pk", filter=overdue),
        )
    }  # fmt: skip
    rows = []
    for county in counties:
        agg = by_county.get(county.code) or {"total": 0, "closed": 0, "closed_in_month": 0, "overdue": 0}
        agg["open"] = agg["total"] - agg["closed"]
        rows.append({"code": county.code, "county": county.name, **agg})
    keys = ("total", "closed", "closed_in_month", "open", "overdue")
    totals = {k: sum(r[k] for r in rows) for k in keys}
    names = {c.code: c.name for c in counties}
    overdue_items = [
        {
            "id": i.pk, "county": names.get(_county_of(i.region_id), ""), "region": i.region.name,
            "unit": i.responsible_unit.name, "description": mask_id_numbers(i.description)[:120], "deadline": i.deadline.isoformat(),
            "status": i.get_status_display(),
        }
        for i in base.filter(overdue).select_related("region", "responsible_unit").order_by("deadline", "id")[:500]
    ]  # fmt: skip
    return {"available": True, "rows": rows, "totals": totals, "overdue_items": overdue_items}


def scores_section(region: Region, month: dt.date) -> dict:
    qs = MonthlyScore.objects.filter(month=month, region__code__startswith=region.prefix).select_related(
        "unit", "officer", "region"
    )

    def ranked(rows):
        out, rank, previous = [], 0, None
        for i, s in enumerate(rows, start=1):
            if s.score != previous:
                rank, previous = i, s.score
            subject = s.unit.name if s.unit_id else f"{s.officer.name}（{s.officer.position}）"
            out.append({
                "rank": rank, "subject": subject, "region": s.region.name, "score": str(s.score),
                "grade": s.grade, "grade_label": s.get_grade_display(), "vetoed": s.vetoed,
                "veto_reasons": s.veto_reasons,
            })  # fmt: skip
        return out

    units = ranked(qs.filter(unit__isnull=False).order_by("-score", "region_id", "id"))
    officers = ranked(qs.filter(officer__isnull=False).order_by("-score", "region_id", "id"))
    if not units and not officers:
        return {
            "available": False,
            "note": _("No scores were computed for this month."),
            "units": [],
            "officers": [],
        }
    return {"available": True, "units": units, "officers": officers}


def cases_section(region: Region, month: dt.date) -> dict:
    qs = AccountabilityCase.objects.filter(region__code__startswith=region.prefix).select_related(
        "subject_officer", "subject_unit", "region"
    )
    opened = qs.filter(opened_on__gte=month, opened_on__lt=next_month(month)).order_by("opened_on", "id")
    closed = qs.filter(closed_on__gte=month, closed_on__lt=next_month(month)).order_by("closed_on", "id")

    def row(c: AccountabilityCase) -> dict:
        return {
            "id": c.pk, "type": c.case_type, "type_label": c.get_case_type_display(), "subject": str(c.subject),
            "region": c.region.name, "rule": c.get_rule_display(), "status": c.get_status_display(),
            "opened_on": c.opened_on.isoformat(), "closed_on": c.closed_on.isoformat() if c.closed_on else "",
            "grounds": mask_id_numbers(c.grounds)[:200],
        }  # fmt: skip

    opened_rows, closed_rows = [row(c) for c in opened], [row(c) for c in closed]
    by_type = [
        {"type": t, "label": str(label), "opened": sum(1 for r in opened_rows if r["type"] == t),
         "closed": sum(1 for r in closed_rows if r["type"] == t)}
        for t, label in CaseType.choices
    ]  # fmt: skip
    # Proposed cases still undecided at the end of the month, past the days set to decide them (19.8).
    after = next_month(month)
    days = AccountabilitySettings.current().case_decision_days
    # Still proposed, or moved out of proposed only after the month (a case a rule opened confirmed never was).
    decided_later = CaseStatusChange.objects.filter(
        case=OuterRef("pk"), from_status=CaseStatus.PROPOSED, at__date__gte=after
    )
    late = qs.filter(
        Q(status=CaseStatus.PROPOSED) | Exists(decided_later), opened_on__lt=after - dt.timedelta(days=days)
    ).order_by("opened_on", "id")
    overdue_rows = [
        {**row(c), "due": (c.opened_on + dt.timedelta(days=days)).isoformat()} for c in late[:500]
    ]
    return {
        "available": True, "opened": opened_rows, "closed": closed_rows, "by_type": by_type,
        "totals": {"opened": len(opened_rows), "closed": len(closed_rows), "overdue_proposed": late.count()},
        "overdue_proposed": overdue_rows, "decision_days": days,
    }  # fmt: skip


class SharedFigures:
    """The 六个一 board and the three targets of a month for every county under `prefix`, computed on
    first use and shared by the bulletins of the regions inside it (the monthly task's 18 cities):
    one grouped query per line instead of one per line and city. A region's part equals what its own
    computation gives (`sixones.board_within`)."""

    def __init__(self, *, prefix: str, month: dt.date):
        self.prefix, self.month = prefix, month

    @classmethod
    def for_regions(cls, regions: list[Region], month: dt.date) -> SharedFigures:
        prefixes = [r.prefix for r in regions]
        low, high = min(prefixes, default=""), max(prefixes, default="")
        common = next(
            (i for i, (a, b) in enumerate(zip(low, high, strict=False)) if a != b), min(len(low), len(high))
        )
        return cls(prefix=low[:common], month=month)

    def covers(self, region: Region, month: dt.date) -> bool:
        return month == self.month and region.prefix.startswith(self.prefix)

    @cached_property
    def board(self) -> dict:
        from ..selectors import sixones

        return sixones.board(prefix=self.prefix, year=self.month.year, today=month_end(self.month))

    @cached_property
    def targets(self) -> dict:
        from ..selectors import sixones

        return sixones.three_targets(prefix=self.prefix, month=self.month)


def sixones_sections(region: Region, month: dt.date, shared: SharedFigures | None = None) -> dict:
    """The 六个一 board (the month's year, as at the end of the month) and the three targets."""
    from ..selectors import sixones

    if shared is not None and shared.covers(region, month):
        board = sixones.board_within(shared.board, region.prefix)
        targets = sixones.targets_within(shared.targets, region.prefix)
    else:
        board = sixones.board(prefix=region.prefix, year=month.year, today=month_end(month))
        targets = sixones.three_targets(prefix=region.prefix, month=month)
    data = sixones.as_json(board, targets)
    return {
        "sixones": {"available": True, **data["sixones"]},
        "targets": {"available": True, **data["targets"]},
    }


def supervision_section(region: Region, month: dt.date) -> dict:
    """一月一暗访 and the province list's deadline (issue 19.5, 19.6): supervision groups of the region
    that ended the month without a filed covert visit, and recipients late with their answers."""
    from inspections.selectors import late_problem_answers, missed_supervision_months

    missed = [
        {"group": m.group.name, "month": m.month.isoformat(), "flagged_on": m.flagged_on.isoformat()}
        for m in missed_supervision_months(month=month, prefix=region.prefix)
    ]
    late = [
        {"unit": r.unit.name, "region": r.region_id, "region_name": r.region.name, "list": r.problem_list.title, "deadline": r.problem_list.answer_deadline.isoformat(),
         "owed": r.owed, "late": r.late}
        for r in late_problem_answers(as_of=next_month(month), prefix=region.prefix)[:500]
    ]  # fmt: skip
    return {"available": True, "missed_visits": missed, "late_answers": late}


def build_content(*, region: Region, month: dt.date, shared: SharedFigures | None = None) -> dict:
    counties = _counties(region)
    return {
        **sixones_sections(region, month, shared),
        "month": month.isoformat(),
        "region": {"code": region.code, "name": region.name},
        "built_at": timezone.now().isoformat(),
        "findings": findings_section(region, month, counties),
        "rectifications": rectifications_section(region, month, counties),
        "scores": scores_section(region, month),
        "cases": cases_section(region, month),
        "supervision": supervision_section(region, month),
        "year_targets": targets_section(region, month),
        "survey_trend": trend_section(region, month),
        "villages": villages_section(region, month),
        "error_rates": error_rates_section(region, month, shared),
        "absences": absences_section(region, month),
    }


def bulletin_generate(
    *, region: Region, month: dt.date, actor=None, shared: SharedFigures | None = None
) -> tuple[Bulletin, bool]:
    """The month's bulletin: created once; generating it again returns the published one unchanged.

    `shared`: figures computed once for several regions' bulletins (the monthly task)."""
    if month.day != 1:
        month = month.replace(day=1)
    current = Bulletin.objects.filter(region=region, month=month, status=BulletinStatus.PUBLISHED).first()
    if current is not None:
        return current, False
    content = build_content(region=region, month=month, shared=shared)
    try:
        with transaction.atomic():
            last = Bulletin.objects.filter(region=region, month=month).aggregate(v=Max("version"))["v"] or 0
            bulletin = Bulletin.objects.create(
                region=region, month=month, version=last + 1, content=content, generated_by=_user(actor),
                reason="" if last == 0 else _("generated again after every version was withdrawn"),
            )  # fmt: skip
            record_created(bulletin, actor=_user(actor), note=bulletin.reason)
    except IntegrityError:
        # A concurrent run created it first (bulletin_one_published): that one stands.
        return Bulletin.objects.get(region=region, month=month, status=BulletinStatus.PUBLISHED), False
    logger.info("bulletin %s for %s %s generated (v%s)", bulletin.pk, region.code, month, bulletin.version)
    return bulletin, True


@transaction.atomic
def bulletin_regenerate(*, bulletin: Bulletin, reason: str, actor) -> Bulletin:
    """Explicitly regenerate a published month: a new version; the earlier one is kept, marked superseded."""
    if not actor.has_perm("accountability.regenerate_bulletin"):
        raise PermissionDenied
    ensure_can_write(actor, bulletin.region_id)
    if not reason.strip():
        raise DomainError(_("Say why the bulletin is regenerated."), field="reason")
    current = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if not can_transition(current, BulletinStatus.SUPERSEDED):
        raise TransitionNotAllowed(_("Only the published version can be regenerated."), field="status")
    reason = reason.strip()[:300]
    current = transition(
        current,
        BulletinStatus.SUPERSEDED,
        actor=actor,
        note=reason,
        updates={"superseded_at": timezone.now()},
    )
    last = Bulletin.objects.filter(region=current.region, month=current.month).aggregate(v=Max("version"))[
        "v"
    ]
    new = Bulletin.objects.create(
        region=current.region, month=current.month, version=last + 1, reason=reason,
        content=build_content(region=current.region, month=current.month), generated_by=actor,
    )  # fmt: skip
    record_created(new, actor=actor, note=reason)
    return new


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
