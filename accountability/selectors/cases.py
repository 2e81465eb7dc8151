"""Reads of cases, bans, scores and grades. Deciders and leaders see their region; others see their own."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from core.scoping import region_rows, scope

from ..models import AccountabilityCase, AnnualGrade, MonthlyScore, PromotionBan


def _own_or_scoped(qs: QuerySet, *, actor, perm: str, officer_field: str, region_field: str) -> QuerySet:
    """Holders of `perm` see rows under their region; everyone else only rows about their own officer."""
    if actor is None or not actor.is_authenticated:
        return qs.none()
    if actor.has_perm(perm):
        return scope(qs, actor=actor, field=region_field)
    if actor.officer_id:
        return qs.filter(**{officer_field: actor.officer_id})
    return qs.none()


def case_list(
    *, actor, status: str | None = None, case_type: str | None = None, rule: str | None = None,
    officer_id: int | None = None, region_prefix: str | None = None,
) -> QuerySet[AccountabilityCase]:  # fmt: skip
    qs = AccountabilityCase.objects.select_related("subject_officer", "subject_unit", "region")
    qs = _own_or_scoped(
        qs, actor=actor, perm="accountability.view_accountabilitycase", officer_field="subject_officer_id",
        region_field="region_id",
    )  # fmt: skip
    if status:
        qs = qs.filter(status=status)
    if case_type:
        qs = qs.filter(case_type=case_type)
    if rule:
        qs = qs.filter(rule=rule)
    if officer_id:
        qs = qs.filter(subject_officer_id=officer_id)
    if region_prefix:  # a narrowing of rows already scoped (or the reader's own)
        qs = region_rows(qs, field="region_id", region=region_prefix)
    return qs.order_by("-opened_on", "-id")


def case_get(*, actor, pk: int) -> AccountabilityCase:
    return get_object_or_404(case_list(actor=actor), pk=pk)


def ban_list(*, actor, officer_id: int | None = None) -> QuerySet[PromotionBan]:
    qs = PromotionBan.objects.select_related("officer", "case")
    qs = _own_or_scoped(
        qs, actor=actor, perm="accountability.view_promotionban", officer_field="officer_id",
        region_field="officer__region_id",
    )  # fmt: skip
    if officer_id:
        qs = qs.filter(officer_id=officer_id)
    return qs.order_by("-starts_on", "id")


def score_list(
    *, actor, month=None, subject: str | None = None, region_prefix: str | None = None
) -> QuerySet[MonthlyScore]:
    qs = MonthlyScore.objects.select_related("unit", "officer", "region", "scheme")
    qs = _own_or_scoped(
        qs,
        actor=actor,
        perm="accountability.view_monthlyscore",
        officer_field="officer_id",
        region_field="region_id",
    )
    if month:
        qs = qs.filter(month=month)
    if subject == "unit":
        qs = qs.filter(unit__isnull=False)
    elif subject == "officer":
        qs = qs.filter(officer__isnull=False)
    if region_prefix:  # a narrowing of rows already scoped (or the reader's own)
        qs = region_rows(qs, field="region_id", region=region_prefix)
    return qs.order_by("-month", "-score", "id")


def ranking(*, actor, month, subject: str = "unit") -> list[MonthlyScore]:
    """Scores of a month, best first, with their rank (equal scores share a rank)."""
    rows = list(score_list(actor=actor, month=month, subject=subject).order_by("-score", "region_id", "id"))
    rank, previous = 0, None
    for i, row in enumerate(rows, start=1):
        if row.score != previous:
            rank, previous = i, row.score
        row.rank = rank
    return rows


def annual_grade_list(*, actor, year: int | None = None) -> QuerySet[AnnualGrade]:
    qs = AnnualGrade.objects.select_related("unit", "officer", "region")
    qs = _own_or_scoped(
        qs,
        actor=actor,
        perm="accountability.view_annualgrade",
        officer_field="officer_id",
        region_field="region_id",
    )
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "grade", "id")


def officer_filter(officer_id: int) -> Q:
    return Q(subject_officer_id=officer_id)
