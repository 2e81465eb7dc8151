"""Reads of the annual assessment: grades (scoped, or one's own / one's unit's), appeals, vetoes,
rectification acceptances, annual bulletins, and proposed cases past their decision deadline."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from core.scoping import scope

from ..models import (
    AccountabilityCase,
    AccountabilitySettings,
    AnnualBulletin,
    AnnualBulletinStatus,
    AnnualGrade,
    CaseStatus,
    EvaluationVeto,
    GradeAppeal,
    RectificationReview,
)


def _own_grades(actor) -> Q:
    """Grades about the actor's officer or the officer's unit (the graded are notified and may appeal)."""
    officer = getattr(actor, "officer", None)
    if officer is None:
        return Q(pk__in=[])
    return Q(officer_id=officer.pk) | Q(unit_id=officer.unit_id)


def grade_list(*, actor, year: int | None = None, grade: str | None = None) -> QuerySet[AnnualGrade]:
    """Holders of view_annualgrade: grades in their region; anyone else: their own and their unit's."""
    qs = AnnualGrade.objects.select_related("unit", "officer", "region", "scheme")
    if actor is None or not actor.is_authenticated:
        return qs.none()
    if actor.has_perm("accountability.view_annualgrade"):
        qs = scope(qs, actor=actor, field="region_id")
    else:
        qs = qs.filter(_own_grades(actor))
    if year:
        qs = qs.filter(year=year)
    if grade:
        qs = qs.filter(grade=grade)
    return qs.order_by("-year", "region_id", "grade", "id")


def grade_get(*, actor, pk: int) -> AnnualGrade:
    return get_object_or_404(grade_list(actor=actor), pk=pk)


def appeal_list(*, actor, status: str | None = None) -> QuerySet[GradeAppeal]:
    qs = GradeAppeal.objects.select_related("grade", "grade__unit", "grade__officer", "grade__region")
    qs = qs.filter(grade__in=grade_list(actor=actor))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-lodged_on", "-id")


def appeal_get(*, actor, pk: int) -> GradeAppeal:
    return get_object_or_404(appeal_list(actor=actor), pk=pk)


def veto_list(*, actor, year: int | None = None, in_force: bool | None = None) -> QuerySet[EvaluationVeto]:
    """一票否决 records: the organisation department's region, or the officer's own."""
    qs = EvaluationVeto.objects.select_related("officer", "officer__unit", "region", "grade", "review")
    if actor is None or not actor.is_authenticated:
        return qs.none()
    if actor.has_perm("accountability.view_evaluationveto"):
        qs = scope(qs, actor=actor, field="region_id")
    elif actor.officer_id:
        qs = qs.filter(officer_id=actor.officer_id)
    else:
        return qs.none()
    if year:
        qs = qs.filter(year=year)
    if in_force is not None:
        qs = qs.filter(lifted_on__isnull=in_force)
    return qs.order_by("-year", "region_id", "officer_id", "id")


def review_list(*, actor, year: int | None = None) -> QuerySet[RectificationReview]:
    qs = RectificationReview.objects.select_related("region", "problem_list", "plan", "recorded_by")
    if actor is None or not actor.has_perm("accountability.view_rectificationreview"):
        return qs.none()
    qs = scope(qs, actor=actor, field="region_id")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-reviewed_on", "-id")


def review_get(*, actor, pk: int) -> RectificationReview:
    return get_object_or_404(review_list(actor=actor), pk=pk)


def annual_bulletin_list(*, actor) -> QuerySet[AnnualBulletin]:
    qs = AnnualBulletin.objects.select_related("region", "published_by")
    if actor is None or not actor.has_perm("accountability.view_annualbulletin"):
        return qs.none()
    return scope(qs, actor=actor, field="region_id").order_by("-year", "-version")


def annual_bulletin_get(*, actor, pk: int) -> AnnualBulletin:
    return get_object_or_404(annual_bulletin_list(actor=actor), pk=pk)


def annual_bulletin_current(*, actor, year: int) -> AnnualBulletin | None:
    return annual_bulletin_list(actor=actor).filter(year=year, status=AnnualBulletinStatus.PUBLISHED).first()


def decision_deadline_passed(on: dt.date) -> Q:
    """A proposed case opened more than the set days before `on` and still undecided (issue 19.8)."""
    days = AccountabilitySettings.current().case_decision_days
    return Q(status=CaseStatus.PROPOSED, opened_on__lt=on - dt.timedelta(days=days))


def overdue_proposed_cases(*, on: dt.date, actor=None, region_prefix: str | None = None) -> QuerySet:
    """Proposed cases past their decision deadline: for the deciding office (scoped) or the bulletin."""
    qs = AccountabilityCase.objects.filter(decision_deadline_passed(on)).select_related(
        "subject_officer", "subject_unit", "region"
    )
    if actor is not None:
        if not actor.has_perm("accountability.decide_accountabilitycase"):
            return qs.none()
        qs = scope(qs, actor=actor, field="region_id")
    if region_prefix is not None:
        qs = qs.filter(region__code__startswith=region_prefix)
    return qs.order_by("opened_on", "id")


def case_decision_due(case: AccountabilityCase) -> dt.date:
    return case.opened_on + dt.timedelta(days=AccountabilitySettings.current().case_decision_days)
