"""Monthly scores from the 考评办法 (annual grades from the months: services/annual.py)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import DomainError
from core.models import Officer, Region, Unit

from ..inputs import Inputs, Scope, collect, collect_all, scope_of_officer, scope_of_unit, scopes_of_officers
from ..models import (
    AssessmentScheme,
    Grade,
    MonthlyScore,
    Responsibility,
    ResponsibilityKind,
)
from ..periods import month_end
from .schemes import scores_fieldwork

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")


@dataclass
class ScoreResult:
    score: Decimal
    grade: str
    vetoed: bool = False
    veto_reasons: list[str] = field(default_factory=list)
    breakdown: list[dict] = field(default_factory=list)


def scheme_for(day: dt.date) -> AssessmentScheme:
    """The scheme in force on `day`: the newest version effective on or before it."""
    scheme = (
        AssessmentScheme.objects.filter(effective_from__lte=day)
        .prefetch_related("indicators", "vetoes")
        .order_by("-effective_from", "-version")
        .first()
    )
    if scheme is None:
        raise DomainError(_("No assessment scheme is in force on %(day)s.") % {"day": day}, field="month")
    return scheme


def compute(scheme: AssessmentScheme, counts: dict[str, int]) -> ScoreResult:
    """base − Σ min(cap, weight × count); the grade by thresholds; any veto condition met → 差."""
    score = Decimal(scheme.base_score)
    breakdown = []
    for indicator in scheme.indicators.all():
        count = int(counts.get(indicator.key, 0))
        if not count:
            continue
        raw = Decimal(indicator.weight) * count
        deduction = min(raw, Decimal(indicator.cap)) if indicator.cap is not None else raw
        score -= deduction
        breakdown.append({
            "indicator": indicator.key, "label": str(indicator.get_code_display()), "severity": indicator.severity,
            "count": count, "weight": str(indicator.weight), "cap": None if indicator.cap is None else str(indicator.cap),
            "deduction": str(deduction.quantize(CENT)),
        })  # fmt: skip
    score = max(score, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
    veto_reasons = [v.description for v in scheme.vetoes.all() if int(counts.get(v.key, 0)) >= v.threshold]
    grade = Grade.POOR if veto_reasons else scheme.grade_for(score)
    return ScoreResult(score=score, grade=grade, vetoed=bool(veto_reasons), veto_reasons=veto_reasons,
                       breakdown=breakdown)  # fmt: skip


def _subject_kwargs(unit: Unit | None, officer: Officer | None) -> dict:
    if (unit is None) == (officer is None):
        raise DomainError(_("Score exactly one unit or one officer."), field="subject")
    return {"unit": unit} if unit is not None else {"officer": officer}


@transaction.atomic
def monthly_score_compute(
    *,
    month: dt.date,
    unit: Unit | None = None,
    officer: Officer | None = None,
    actor=None,
    scheme: AssessmentScheme | None = None,
) -> MonthlyScore:
    """Compute and store one subject's score for `month`. Re-running recomputes it in place (history kept)."""
    if month.day != 1:
        raise DomainError(_("A score month is given by its first day."), field="month")
    subject = _subject_kwargs(unit, officer)
    scheme = scheme or scheme_for(month_end(month))
    scope = scope_of_unit(unit) if unit is not None else scope_of_officer(officer, month)
    inputs = collect(scope, month)
    _lock_month(month)
    with actor_context(actor):
        row, _created = MonthlyScore.objects.update_or_create(
            month=month,
            **subject,
            defaults=_score_fields(scheme, (unit or officer).region, scope, month, inputs),
        )
    return row


def _lock_month(month: dt.date) -> None:
    """Writers of a month's scores take turns until their transaction ends (two workers scoring the
    same month: the second updates the rows the first inserted instead of failing on the unique index)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_SCORE_LOCK, month.toordinal()])


_SCORE_LOCK = 0x5C0E  # advisory lock class of monthly scores


def _score_fields(
    scheme: AssessmentScheme, region: Region, scope: Scope, month: dt.date, inputs: Inputs
) -> dict:
    """What a stored score holds besides its subject and month (the same for both paths)."""
    result = compute(scheme, inputs.counts)
    return {
        "scheme": scheme, "region": region, "score": result.score, "grade": result.grade,
        "vetoed": result.vetoed, "veto_reasons": result.veto_reasons,
        "inputs": inputs.as_dict(scope, month), "breakdown": result.breakdown,
    }  # fmt: skip


SCORED_UNIT_KINDS = (
    ResponsibilityKind.MAIN, ResponsibilityKind.DEPARTMENT, ResponsibilityKind.TOWNSHIP_VILLAGE,
    ResponsibilityKind.RESIDENT_ASSISTANCE,
)  # fmt: skip
SCORED_OFFICER_KINDS = (
    ResponsibilityKind.FIRST,
    ResponsibilityKind.DIRECT,
    ResponsibilityKind.CONTACT_LEADER,
)


def subjects_for(month: dt.date, scheme: AssessmentScheme | None = None) -> tuple[list[Unit], list[Officer]]:
    """Who is scored for a month: units and officers holding a scored responsibility in it — and,
    under a scheme version that scores visits and days in the village (issue 18), every responsible
    officer, first secretary and work-team member of the month."""
    during = Q(valid_from__lte=month_end(month)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=month))
    resps = Responsibility.objects.filter(during)
    unit_ids = resps.filter(kind__in=SCORED_UNIT_KINDS, unit__isnull=False).values("unit_id")
    officer_ids = resps.filter(kind__in=SCORED_OFFICER_KINDS).values("officer_id")
    who = Q(pk__in=officer_ids)
    if scheme is not None and scores_fieldwork(scheme):
        who |= fieldwork_officers_q(month)
    units = list(Unit.objects.filter(pk__in=unit_ids).select_related("region").order_by("region_id", "id"))
    officers = list(Officer.objects.filter(who).select_related("region").order_by("region_id", "id"))
    return units, officers


def fieldwork_officers_q(month: dt.date) -> Q:
    """Officers responsible for a household, or on a work team, on some day of the month."""
    from assistance.models import OfficerAssignment, TeamMember, VillageTeam

    end = month_end(month)
    open_in = Q(ended_on__isnull=True) | Q(ended_on__gte=month)
    teams = VillageTeam.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=month), start_date__lte=end)
    return (
        Q(pk__in=OfficerAssignment.objects.filter(open_in, started_on__lte=end).values("officer_id"))
        | Q(pk__in=teams.values("first_secretary_id"))
        | Q(pk__in=TeamMember.objects.filter(team__in=teams).values("officer_id"))
    )


def monthly_scores_compute_all(*, month: dt.date, actor=None) -> dict:
    """Score every unit and officer holding a scored responsibility in `month`. Idempotent.

    Without a scheme in force nothing is scored (the bulletin then says so) rather than failing.
    """
    try:
        scheme = scheme_for(month_end(month))
    except DomainError as error:
        logger.warning("scores for %s skipped: %s", month, error.message)
        return {"units": 0, "officers": 0, "skipped": str(error.message)}
    units, officers = subjects_for(month, scheme)
    monthly_scores_store(month=month, units=units, officers=officers, actor=actor, scheme=scheme)
    logger.info("scores for %s: %s units, %s officers", month, len(units), len(officers))
    return {"units": len(units), "officers": len(officers)}


@transaction.atomic
def monthly_scores_store(
    *, month: dt.date, units: list[Unit], officers: list[Officer], scheme: AssessmentScheme, actor=None
) -> list[MonthlyScore]:
    """Score many subjects of a month at once: what `monthly_score_compute` stores for each, in order.

    The inputs come from one grouped query per indicator (`collect_all`), the rows are written with
    one bulk UPDATE of the month's existing scores and one bulk INSERT of the new ones, in one
    transaction. History is kept by the same triggers, with the same actor.
    """
    if month.day != 1:
        raise DomainError(_("A score month is given by its first day."), field="month")
    scopes = [scope_of_unit(u) for u in units] + scopes_of_officers(officers, month)
    subjects = [("unit", u) for u in units] + [("officer", o) for o in officers]
    all_inputs = collect_all(scopes, month)
    _lock_month(month)  # a concurrent run waits, then finds these rows and updates them
    existing = {
        (row.unit_id, row.officer_id): row
        for row in MonthlyScore.objects.select_for_update().filter(month=month).order_by("id")
    }
    now = timezone.now()
    to_update, to_create, out = [], [], []
    for (kind, subject), scope, inputs in zip(subjects, scopes, all_inputs, strict=True):
        fields = _score_fields(scheme, subject.region, scope, month, inputs)
        key = (subject.pk, None) if kind == "unit" else (None, subject.pk)
        row = existing.get(key)
        if row is None:
            row = MonthlyScore(month=month, **{kind: subject}, **fields)
            to_create.append(row)
        else:
            for name, value in fields.items():
                setattr(row, name, value)
            row.updated_at = now
            to_update.append(row)
        out.append(row)
    with actor_context(actor):
        if to_update:
            _update_rows(to_update)
        if to_create:
            MonthlyScore.objects.bulk_create(to_create, batch_size=500)
    return out


_FIELDS = (
    "scheme",
    "region",
    "score",
    "grade",
    "vetoed",
    "veto_reasons",
    "inputs",
    "breakdown",
    "updated_at",
)


def _update_rows(rows: list[MonthlyScore]) -> None:
    """One UPDATE … FROM unnest(arrays) of every row's fields (what `bulk_update` writes, without the
    seconds Django spends building a CASE per row and field). Row triggers (history) fire as for any UPDATE."""
    meta = MonthlyScore._meta
    fields = [meta.get_field(name) for name in _FIELDS]
    columns, arrays, params = [], [], []
    for f in fields:
        column = f.column
        if isinstance(f, models.JSONField):
            values = [json.dumps(getattr(r, f.attname), cls=f.encoder) for r in rows]
            arrays.append("%s::text[]")
            columns.append(f"{column} = v.{column}::jsonb")
        else:
            values = [getattr(r, f.attname) for r in rows]
            arrays.append(f"%s::{f.db_type(connection)}[]")
            columns.append(f"{column} = v.{column}")
        params.append(values)
    names = ", ".join(["id", *(f.column for f in fields)])
    # Table and column names come from the model; every value is a parameter.
    sql = f"UPDATE {meta.db_table} AS m SET {', '.join(columns)} FROM unnest(%s::bigint[], {', '.join(arrays)}) "  # noqa: S608
    sql += f"AS v({names}) WHERE m.id = v.id"
    with connection.cursor() as cursor:
        cursor.execute(sql, [[r.pk for r in rows], *params])
        if cursor.rowcount != len(rows):
            raise RuntimeError(f"monthly scores: {cursor.rowcount} of {len(rows)} rows updated")


__all__ = [
    "ScoreResult", "compute", "monthly_score_compute", "monthly_scores_compute_all",
    "monthly_scores_store",
    "scheme_for", "subjects_for",
]  # fmt: skip
