"""年度成效考核 and 整改评估验收: the organisation department records the year's grade (the monthly scores
computed, the annual indicators it enters, its reasons); the leading group records each county's
rectification acceptance. Both fire the document's consequences (rules.py) and the one-vote veto on
the overall evaluation of the county's 党政一把手 (一票否决), which only an appeal against the grade lifts.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError, full_clean
from core.models import Officer, Region, RegionLevel, Unit, UnitKind
from core.scoping import ensure_can_write

from ..models import (
    AnnualGrade,
    AnnualIndicator,
    AppealStatus,
    EvaluationVeto,
    Grade,
    IndicatorSource,
    MonthlyScore,
    RectificationReview,
)
from .rules import grade_consequences, heads, review_consequences
from .scoring import CENT, _subject_kwargs, scheme_for

COUNTY_UNIT_KINDS = (UnitKind.PARTY_COMMITTEE, UnitKind.GOVERNMENT)


def _is_county_unit(unit: Unit | None) -> bool:
    return unit is not None and unit.kind in COUNTY_UNIT_KINDS and unit.region.level == RegionLevel.COUNTY


def failed_acceptance(*, region_code: str, year: int) -> RectificationReview | None:
    """The county's last rectification acceptance of the year, when it failed (整改后仍达不到要求)."""
    last = RectificationReview.objects.filter(region_id=region_code, year=year).order_by(
        "-reviewed_on", "-id"
    )
    review = last.first()
    return review if review is not None and not review.passed else None


def _indicators(rows) -> list[dict]:
    out = []
    for i, row in enumerate(rows or []):
        name, value = str(row.get("name", "")).strip(), str(row.get("value", "")).strip()
        source = str(row.get("source", ""))
        if not name:
            raise DomainError(_("Name the indicator."), field=f"indicators.{i}.name")
        if not value:
            raise DomainError(_("Enter the indicator's result."), field=f"indicators.{i}.value")
        if source not in IndicatorSource.values:
            raise DomainError(_("Choose the indicator's source."), field=f"indicators.{i}.source")
        out.append({"name": name[:100], "source": source, "value": value[:100],
                    "note": str(row.get("note", "")).strip()[:300]})  # fmt: skip
    if len({r["name"] for r in out}) != len(out):
        raise DomainError(_("Each indicator is entered once."), field="indicators")
    return out


@transaction.atomic
def annual_grade_record(
    *, year: int, decided_on: dt.date, unit: Unit | None = None, officer: Officer | None = None,
    grade: str | None = None, reasons: str = "", indicators: list[dict] | None = None, actor=None,
) -> tuple[AnnualGrade, list]:  # fmt: skip
    """The year's grade: the mean of its monthly scores graded by the scheme, 差 if any month was vetoed or
    (for a county) its rectification acceptance failed — a stated grade cannot replace that 差.

    `grade`: the department's decision when it differs from the computed grade (its `reasons` then
    required); `indicators`: the annual indicators it enters, each with its source. Opens the cases the
    document fixes for 一般 and 差 and records the veto on the county's 党政一把手 (idempotent). A grade
    once recorded changes only through an appeal.
    """
    subject = _subject_kwargs(unit, officer)
    region = (unit or officer).region
    if actor is not None:
        ensure_can_write(actor, region.code)
    if grade and grade not in Grade.values:
        raise DomainError(_("Unknown grade."), field="grade")
    entered = _indicators(indicators)
    scheme = scheme_for(dt.date(year, 12, 31))
    months = MonthlyScore.objects.filter(
        month__gte=dt.date(year, 1, 1), month__lt=dt.date(year + 1, 1, 1), **subject
    )
    mean = months.aggregate(avg=Avg("score"))["avg"]
    if mean is None and grade is None:
        raise DomainError(
            _("There are no monthly scores for %(year)s to grade.") % {"year": year}, field="year"
        )
    score = Decimal(mean if mean is not None else 0).quantize(CENT, rounding=ROUND_HALF_UP)
    vetoed_months = sorted(m.month.isoformat() for m in months if m.vetoed)
    veto_reasons = [
        _("One-vote veto in %(month)s: %(why)s") % {"month": m.month.strftime("%Y-%m"), "why": "；".join(m.veto_reasons)}
        for m in months.filter(vetoed=True).order_by("month")
    ]  # fmt: skip
    review = failed_acceptance(region_code=region.code, year=year) if _is_county_unit(unit) else None
    if review is not None:
        veto_reasons.append(
            _("The county failed its rectification acceptance of %(day)s.") % {"day": review.reviewed_on}
        )
    computed = Grade.POOR if veto_reasons else scheme.grade_for(score)
    if veto_reasons and grade and grade != Grade.POOR:
        raise DomainError(
            _("The year is vetoed (%(why)s): its grade is poor whatever is stated.") % {"why": "；".join(veto_reasons)},
            field="grade", code="vetoed",
        )  # fmt: skip
    final = grade or computed
    if final != computed and not reasons.strip():
        raise DomainError(_("Give the reasons for a grade other than the computed one."), field="reasons")
    existing = AnnualGrade.objects.select_for_update().filter(year=year, **subject).first()
    if existing is not None:
        if existing.appeals.filter(status=AppealStatus.LODGED).exists():
            raise ConflictError(_("An appeal against this grade awaits a decision."), field="grade")
        if existing.grade != final:
            raise ConflictError(
                _("This grade was recorded as “%(grade)s”; it changes only through an appeal.")
                % {"grade": existing.get_grade_display()}, field="grade",
            )  # fmt: skip
    basis = {"months": months.count(), "mean": str(score), "computed_grade": computed,
             "vetoed_months": vetoed_months, "overridden": final != computed,
             "acceptance": None if review is None else {"id": review.pk, "reviewed_on": review.reviewed_on.isoformat(), "passed": False}}  # fmt: skip
    with actor_context(actor):
        row, _created = AnnualGrade.objects.update_or_create(
            year=year, **subject,
            defaults={
                "scheme": scheme, "region": region, "score": score, "grade": final, "vetoed": bool(veto_reasons),
                "veto_reasons": veto_reasons, "decided_on": decided_on, "basis": basis,
                "reasons": reasons.strip() or (existing.reasons if existing else ""),
            },
        )  # fmt: skip
        if indicators is not None:
            row.indicators.all().delete()
            AnnualIndicator.objects.bulk_create([AnnualIndicator(grade=row, **r) for r in entered])
        if _is_county_unit(unit):
            _acceptance_indicator(row)
    cases = grade_consequences(grade=row, actor=actor)
    grade_vetoes(grade=row, actor=actor)
    return row, cases


def _acceptance_indicator(grade: AnnualGrade) -> None:
    """The county's rectification acceptance of the year, as one of its grade's indicators."""
    review = (
        RectificationReview.objects.filter(region_id=grade.region_id, year=grade.year)
        .order_by("-reviewed_on", "-id")
        .first()
    )
    name = str(IndicatorSource.RECTIFICATION_REVIEW.label)
    grade.indicators.filter(source=IndicatorSource.RECTIFICATION_REVIEW).delete()
    if review is None:
        return
    AnnualIndicator.objects.create(
        grade=grade, name=name, source=IndicatorSource.RECTIFICATION_REVIEW,
        value=str(pgettext("acceptance", "passed") if review.passed else pgettext("acceptance", "failed")), note=str(review.reviewed_on),
    )  # fmt: skip


def grade_vetoes(*, grade: AnnualGrade, actor=None) -> list[EvaluationVeto]:
    """A county graded 差 vetoes the overall evaluation of its 党政一把手 for the year (idempotent)."""
    if grade.grade != Grade.POOR or not _is_county_unit(grade.unit):
        return []
    reason = _("%(unit)s was graded poor for %(year)s.") % {"unit": grade.unit.name, "year": grade.year}
    if grade.veto_reasons:
        reason += " " + "；".join(grade.veto_reasons)
    out = []
    with actor_context(actor):
        for officer in heads(region_code=grade.region_id, on=grade.decided_on):
            veto, _created = EvaluationVeto.objects.get_or_create(
                officer=officer, grade=grade,
                defaults={"region_id": grade.region_id, "year": grade.year, "reason": reason, "recorded_on": grade.decided_on},
            )  # fmt: skip
            out.append(veto)
    return out


def review_vetoes(*, review: RectificationReview, actor=None) -> list[EvaluationVeto]:
    """A county failing its rectification acceptance vetoes its 党政一把手's overall evaluation that year."""
    if review.passed:
        return []
    reason = _("The county failed its rectification acceptance of %(day)s.") % {"day": review.reviewed_on}
    out = []
    with actor_context(actor):
        for officer in heads(region_code=review.region_id, on=review.reviewed_on):
            veto, _created = EvaluationVeto.objects.get_or_create(
                officer=officer, review=review,
                defaults={"region_id": review.region_id, "year": review.year, "reason": reason, "recorded_on": review.reviewed_on},
            )  # fmt: skip
            out.append(veto)
    return out


@transaction.atomic
def rectification_review_record(
    *, region: Region, year: int, reviewed_on: dt.date, passed: bool, notes: str = "", reviewers: str = "",
    items_checked: str = "", reasons: str = "", problem_list=None, plan=None, actor=None,
) -> tuple[RectificationReview, list]:  # fmt: skip
    """Record a county's 整改评估验收 (the leading group's covert check). A failed one bars the county's
    党政正职 and 分管副职 from promotion this year, opens their cases and vetoes the 一把手's evaluation."""
    if actor is not None:
        ensure_can_write(actor, region.code)
    if region.level != "county":
        raise DomainError(_("The rectification review is recorded for a county."), field="region")
    if reviewed_on.year != year:
        raise DomainError(_("The review date lies in the year reviewed."), field="reviewed_on")
    if actor is not None and not reasons.strip():
        raise DomainError(_("Give the reasons for the result."), field="reasons")
    for thing, field in ((problem_list, "problem_list"), (plan, "plan")):
        county = getattr(thing, "county_id", None) if field == "plan" else None
        if county and county != region.code:
            raise DomainError(_("The inspection round reviewed is of another county."), field=field)
    fields = {"year": year, "passed": passed, "notes": notes, "reviewers": reviewers.strip()[:300],
              "items_checked": items_checked.strip(), "reasons": reasons.strip(), "problem_list": problem_list,
              "plan": plan}  # fmt: skip
    review = RectificationReview.objects.filter(region=region, reviewed_on=reviewed_on).first()
    if review is not None and review.passed != passed and review.cases.exists():
        raise ConflictError(_("This review's result has already taken effect."), field="passed")
    review = review or RectificationReview(region=region, reviewed_on=reviewed_on)
    for name, value in fields.items():
        setattr(review, name, value)
    if review.pk is None and getattr(actor, "is_authenticated", False):
        review.recorded_by = actor
    full_clean(review, validate_constraints=False)
    with actor_context(actor):
        review.save()
    cases = review_consequences(review=review, actor=actor)
    review_vetoes(review=review, actor=actor)
    return review, cases
