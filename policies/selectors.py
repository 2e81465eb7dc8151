"""Reads for policies, always scoped to the actor's region (a task is at its recipient's region)."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.scoping import scope, scope_depth

from .models import Policy, PolicyEvidence, PolicyTask, TaskStatus


def overdue_q(today: dt.date) -> Q:
    """A task is flagged when its deadline has passed and it has no evidence (missing or overdue)."""
    return Q(deadline__lt=today) & ~Exists(PolicyEvidence.objects.filter(task=OuterRef("pk")))


def task_list(*, actor, filters: dict | None = None, today: dt.date | None = None) -> QuerySet[PolicyTask]:
    filters = filters or {}
    today = today or timezone.localdate()
    # A chosen region narrows the scope in core (one condition), never replaces it.
    within = str(filters.get("region") or "")[:6] or None
    qs = scope(PolicyTask.objects.all(), actor=actor, field="region_id", within=within)
    qs = qs.select_related("policy", "recipient", "region").annotate(
        has_evidence=Exists(PolicyEvidence.objects.filter(task=OuterRef("pk"))),
        is_overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField()),
    )
    if filters.get("policy"):
        qs = qs.filter(policy_id=filters["policy"])
    if filters.get("status") in TaskStatus.values:
        qs = qs.filter(status=filters["status"])
    if filters.get("flag") == "overdue":
        qs = qs.filter(is_overdue=True)
    return qs.order_by("policy__number", "region_id", "id")


def task_get(*, actor, pk: int) -> PolicyTask:
    return get_object_or_404(task_list(actor=actor), pk=pk)


def policy_list(*, actor, today: dt.date | None = None) -> QuerySet[Policy]:
    """Policies with the counts of the actor's tasks (a county sees only its own tasks counted)."""
    today = today or timezone.localdate()
    if scope_depth(actor) is None:
        return Policy.objects.none()
    tasks = task_list(actor=actor, today=today)
    return (
        Policy.objects.filter(pk__in=tasks.values("policy_id"))
        .annotate(
            task_count=Count("tasks", filter=Q(tasks__in=tasks.values("pk"))),
            implemented_count=Count(
                "tasks", filter=Q(tasks__in=tasks.values("pk"), tasks__status=TaskStatus.IMPLEMENTED)
            ),
            overdue_count=Count("tasks", filter=Q(tasks__in=tasks.filter(is_overdue=True).values("pk"))),
        )
        .order_by("system", "number")
    )


def policy_get(*, actor, pk: int) -> Policy:
    return get_object_or_404(policy_list(actor=actor).prefetch_related("departments"), pk=pk)


def evidence_get(*, actor, pk: int) -> PolicyEvidence:
    return get_object_or_404(
        PolicyEvidence.objects.filter(task__in=task_list(actor=actor).values("pk")), pk=pk
    )
