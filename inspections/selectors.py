"""Reads for inspections. Every queryset goes through the scoping rule AND the secrecy rule.

Secrecy (四不两直): a covert visit plan, its targets, an unfiled report and its findings are
seen only by city-level inspectors, leaders and administrators. Everyone else — above all the
users of the inspected county — sees a visit only once its report is filed, and a finding only
once it is confirmed. Pages, API, search, counts, exports and notifications all read through
these functions, so no channel can forget the rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.models import Role
from core.scoping import region_rows, scope, scope_depth

from .models import (
    OWED_STATUSES,
    AnswerStatus,
    Finding,
    FindingPhoto,
    FindingStatus,
    GroupKind,
    InspectionGroup,
    ItemStatus,
    MissedVisitMonth,
    Notification,
    PlanStatus,
    ProblemAnswer,
    ProblemListRecipient,
    ProvinceProblemList,
    RectificationItem,
    ReportStatus,
    VisitPlan,
    VisitReport,
)

SECRET_ROLES = (Role.INSPECTOR, Role.LEADER, Role.ADMIN)


def sees_secrets(actor) -> bool:
    """City-level (or wider) inspectors, leaders and administrators see unfiled visits."""
    depth = scope_depth(actor)
    if depth is None:
        return False
    if depth == 0:  # a superuser without a region
        return True
    return depth <= 4 and actor.has_role(*SECRET_ROLES)


def is_inspector(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.has_role(Role.INSPECTOR))


# --- groups and plans -------------------------------------------------------------------


def group_list(*, actor) -> QuerySet[InspectionGroup]:
    return scope(InspectionGroup.objects.select_related("unit", "leader"), actor=actor, field="region_id")


def plan_list(*, actor, filters: dict | None = None) -> QuerySet[VisitPlan]:
    filters = filters or {}
    qs = scope(
        VisitPlan.objects.select_related("group", "county", "department"), actor=actor, field="county_id"
    )
    if not sees_secrets(actor):
        qs = qs.filter(status=PlanStatus.FILED)
    if filters.get("group"):
        qs = qs.filter(group_id=filters["group"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(
            Q(county__name__icontains=q) | Q(group__name__icontains=q) | Q(targets__region__name__icontains=q)
        ).distinct()
    return qs


def plan_get(*, actor, pk: int) -> VisitPlan:
    return get_object_or_404(plan_list(actor=actor), pk=pk)


def plan_targets(*, actor, plan: VisitPlan):
    plan_get(actor=actor, pk=plan.pk)  # re-check secrecy and scope
    return plan.targets.select_related("region", "household", "team__first_secretary").order_by("position")


# --- reports ------------------------------------------------------------------------------


def report_list(*, actor, filters: dict | None = None) -> QuerySet[VisitReport]:
    filters = filters or {}
    qs = scope(
        VisitReport.objects.select_related("group", "county", "village", "author"),
        actor=actor,
        field="county_id",
    )
    if not sees_secrets(actor):
        qs = qs.filter(status=ReportStatus.FILED)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(Q(place__icontains=q) | Q(village__name__icontains=q) | Q(summary__icontains=q))
    return qs


def report_get(*, actor, pk: int) -> VisitReport:
    return get_object_or_404(report_list(actor=actor), pk=pk)


# --- findings -----------------------------------------------------------------------------


def _visible_findings(actor, *, within: str | None = None) -> QuerySet[Finding]:
    qs = scope(Finding.objects.all(), actor=actor, field="region_id", within=within)
    if not sees_secrets(actor):
        qs = qs.filter(status=FindingStatus.CONFIRMED)
    return qs


def finding_list(*, actor, filters: dict | None = None) -> QuerySet[Finding]:
    filters = filters or {}
    qs = _visible_findings(actor, within=filters.get("region")).select_related(
        "region", "responsible_unit", "household", "report"
    )
    for key in ("category", "severity", "source", "status"):
        if filters.get(key):
            qs = qs.filter(**{key: filters[key]})
    if filters.get("responsible_unit"):
        qs = qs.filter(responsible_unit_id=filters["responsible_unit"])
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(
            Q(description__icontains=q) | Q(region__name__icontains=q) | Q(household__head_name__startswith=q)
        )
    return qs


def finding_get(*, actor, pk: int) -> Finding:
    return get_object_or_404(finding_list(actor=actor), pk=pk)


def findings_for_household(*, actor, household) -> QuerySet[Finding]:
    """Findings on a household, for its page (partial `inspections/_household_findings.html`)."""
    return (
        _visible_findings(actor)
        .filter(household_id=household.pk)
        .select_related("responsible_unit", "region")
        .annotate(
            open_items=Count("rectification_items", filter=~Q(rectification_items__status=ItemStatus.CLOSED))
        )
        .order_by("-created_at")
    )


def findings_for_unit(*, actor, unit) -> QuerySet[Finding]:
    return finding_list(actor=actor, filters={"responsible_unit": unit.pk})


def photo_get(*, actor, pk: int) -> FindingPhoto:
    photo = get_object_or_404(FindingPhoto.objects.select_related("finding"), pk=pk)
    finding_get(actor=actor, pk=photo.finding_id)  # 404 unless the finding is visible
    return photo


@dataclass
class FindingCounts:
    total: int
    confirmed: int
    pending: int
    open_items: int
    overdue_items: int


def finding_counts(*, actor) -> FindingCounts:
    """Counts for dashboards and list headers; secret rows are not counted."""
    agg = _visible_findings(actor).aggregate(
        total=Count("id"),
        confirmed=Count("id", filter=Q(status=FindingStatus.CONFIRMED)),
        pending=Count("id", filter=Q(status=FindingStatus.PENDING)),
    )
    items = item_list(actor=actor).aggregate(
        open=Count("id", filter=~Q(status=ItemStatus.CLOSED)),
        overdue=Count("id", filter=Q(status=ItemStatus.OPEN, overdue_since__isnull=False)),
    )
    return FindingCounts(agg["total"], agg["confirmed"], agg["pending"], items["open"], items["overdue"])


# --- rectification ledger -----------------------------------------------------------------


def item_list(*, actor, filters: dict | None = None) -> QuerySet[RectificationItem]:
    """Items of the responsible units in the actor's region, on findings the actor may see."""
    filters = filters or {}
    qs = scope(RectificationItem.objects.all(), actor=actor, field="region_id")
    if not sees_secrets(actor):
        qs = qs.filter(finding__status=FindingStatus.CONFIRMED)
    qs = qs.select_related("finding", "finding__region", "responsible_unit", "region")
    for key in ("status", "kind"):
        if filters.get(key):
            qs = qs.filter(**{key: filters[key]})
    if filters.get("overdue"):
        qs = qs.filter(status=ItemStatus.OPEN, overdue_since__isnull=False)
    if filters.get("responsible_unit"):
        qs = qs.filter(responsible_unit_id=filters["responsible_unit"])
    if filters.get("finding"):
        qs = qs.filter(finding_id=filters["finding"])
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(
            Q(description__icontains=q)
            | Q(finding__description__icontains=q)
            | Q(responsible_unit__name__icontains=q)
        )
    return qs


def item_get(*, actor, pk: int) -> RectificationItem:
    return get_object_or_404(item_list(actor=actor), pk=pk)


def items_for_finding(*, actor, finding: Finding) -> QuerySet[RectificationItem]:
    """Every item of a visible finding (its responsible units may lie outside the actor's region)."""
    finding_get(actor=actor, pk=finding.pk)
    return finding.rectification_items.select_related("responsible_unit").order_by("deadline", "id")


# --- notifications ------------------------------------------------------------------------


def notification_list(*, actor, unread_only: bool = False) -> QuerySet[Notification]:
    qs = scope(Notification.objects.select_related("unit"), actor=actor, field="region_id")
    if not sees_secrets(actor):
        qs = qs.filter(Q(plan__isnull=True) | Q(plan__status=PlanStatus.FILED))
        qs = qs.filter(Q(item__isnull=True) | Q(item__finding__status=FindingStatus.CONFIRMED))
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


# --- status changes -----------------------------------------------------------------------


def status_changes(*, actor, obj) -> QuerySet:
    """A record's status-change rows (who, when, from → to, note), oldest first.

    Read only through the record's own selector, so the rows are exactly as secret as the record:
    an unfiled plan's or report's moves and a pending finding's stay hidden from the inspected county.
    """
    getters = {
        VisitPlan: plan_get,
        VisitReport: report_get,
        Finding: finding_get,
        RectificationItem: item_get,
    }
    if isinstance(obj, ProblemAnswer):
        recipient_get(actor=actor, pk=obj.recipient_id)
    else:
        getters[type(obj)](actor=actor, pk=obj.pk)
    return obj.status_changes.select_related("actor").order_by("at", "id")


# --- province problem lists ---------------------------------------------------------------


def problem_list_list(*, actor) -> QuerySet[ProvinceProblemList]:
    if scope_depth(actor) is None:
        return ProvinceProblemList.objects.none()
    if sees_secrets(actor):
        return ProvinceProblemList.objects.annotate(problem_count=Count("problems", distinct=True))
    # Others see the lists sent to a recipient in their region.
    visible = scope(ProblemListRecipient.objects.all(), actor=actor, field="region_id").values(
        "problem_list_id"
    )
    return ProvinceProblemList.objects.filter(id__in=visible, sent_at__isnull=False).annotate(
        problem_count=Count("problems", distinct=True)
    )


def problem_list_get(*, actor, pk: int) -> ProvinceProblemList:
    return get_object_or_404(problem_list_list(actor=actor), pk=pk)


def recipient_progress(*, actor, problem_list: ProvinceProblemList) -> QuerySet[ProblemListRecipient]:
    """Each recipient in the actor's region with answered / present / total counts."""
    return (
        scope(problem_list.recipients.select_related("unit", "region"), actor=actor, field="region_id")
        .annotate(
            total=Count("answers"),
            answered=Count("answers", filter=~Q(answers__status__in=OWED_STATUSES)),
            present=Count("answers", filter=Q(answers__status=AnswerStatus.PRESENT)),
        )
        .order_by("region_id", "unit__name")
    )


def recipient_get(*, actor, pk: int) -> ProblemListRecipient:
    qs = scope(
        ProblemListRecipient.objects.select_related("unit", "problem_list"), actor=actor, field="region_id"
    )
    return get_object_or_404(qs, pk=pk)


def answers_for_recipient(*, actor, recipient: ProblemListRecipient) -> QuerySet[ProblemAnswer]:
    recipient_get(actor=actor, pk=recipient.pk)
    return (
        recipient.answers.select_related("problem", "finding", "reviewed_by")
        .prefetch_related("evidence_files")
        .order_by("problem__number")
    )


def answers_awaiting_review(*, actor) -> QuerySet[ProblemAnswer]:
    """ "Not present here" answers the city has yet to accept or return, in the actor's region."""
    recipients = scope(ProblemListRecipient.objects.all(), actor=actor, field="region_id")
    return (
        ProblemAnswer.objects.filter(recipient__in=recipients, status=AnswerStatus.ABSENT)
        .select_related("recipient__unit", "problem__problem_list")
        .order_by("answered_at", "id")
    )


def late_problem_answers(*, as_of: dt.date, prefix: str = "") -> QuerySet[ProblemListRecipient]:
    """For the monthly bulletin: recipients of sent lists whose deadline passed before `as_of` with
    answers still owed (`owed`: not answered or returned) or given late (`late`), by region."""
    qs = region_rows(ProblemListRecipient.objects.all(), field="region_id", region=prefix).filter(
        problem_list__sent_at__isnull=False, problem_list__answer_deadline__lt=as_of
    )
    return (
        qs.annotate(
            owed=Count("answers", filter=Q(answers__status__in=OWED_STATUSES)),
            late=Count("answers", filter=Q(answers__answered_late=True)),
        )
        .filter(Q(owed__gt=0) | Q(late__gt=0))
        .select_related("unit", "region", "problem_list")
        .order_by("region_id", "unit__name")
    )


# --- 一月一暗访: the supervision group's monthly covert visit ----------------------------------


def missed_supervision_months(
    *, month: dt.date | None = None, actor=None, prefix: str = ""
) -> QuerySet[MissedVisitMonth]:
    """Months a supervision group ended without a filed covert visit (flagged by the daily job);
    `month`: only that month's flags (the monthly bulletin asks for the month it reports);
    `prefix`: groups of that region (a bulletin's region)."""
    qs = MissedVisitMonth.objects.select_related("group")
    if prefix:
        qs = region_rows(qs, field="group__region_id", region=prefix)
    if actor is not None:
        qs = scope(qs, actor=actor, field="group__region_id")
    if month is not None:
        qs = qs.filter(month=month.replace(day=1))
    return qs.order_by("-month", "group__name")


@dataclass
class SupervisionCadence:
    group: InspectionGroup
    month: dt.date
    filed_this_month: int
    missed: list[dt.date]


def supervision_cadence(*, actor, today: dt.date) -> list[SupervisionCadence]:
    """Each supervision group in the actor's region: visits filed this month and its flagged months."""
    month = today.replace(day=1)
    groups = group_list(actor=actor).filter(kind=GroupKind.SUPERVISION, is_active=True).annotate(
        filed_this_month=Count("plans", filter=Q(plans__month=month, plans__status=PlanStatus.FILED))
    )  # fmt: skip
    missed: dict[int, list[dt.date]] = {}
    for group_id, m in MissedVisitMonth.objects.filter(group__in=groups).values_list("group_id", "month"):
        missed.setdefault(group_id, []).append(m)
    return [
        SupervisionCadence(g, month, g.filed_this_month, sorted(missed.get(g.pk, []), reverse=True))
        for g in groups
    ]


def overdue_on(day: dt.date) -> Q:
    """The one definition of an overdue rectification item (issue 19.9), as it stood at the start of `day`.

    An item is overdue from the day after its deadline (an item due on the last day of a month is overdue
    on the 1st of the next) until it is submitted with evidence or closed: an item awaiting the
    inspector's verification is not overdue — the unit has done its part — and one sent back is again.
    The daily job flags the open items this selects on its day; the monthly bulletin counts the items
    it selects on the first day after the month.
    """
    awaiting_or_done = Q(status__in=[ItemStatus.SUBMITTED, ItemStatus.CLOSED], submitted_at__date__lt=day)
    return Q(deadline__lt=day) & ~Q(closed_at__date__lt=day) & ~awaiting_or_done
