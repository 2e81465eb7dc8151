"""数据比对: the county's runs and flags (core.scoping), the confirmed flags the bulletin reads and the
identification errors they count."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from core.scoping import region_rows, scope

from ..models import CrossCheckFlag, CrossCheckFlagStatusChange, CrossCheckRule, CrossCheckRun, FlagStatus


def crosscheck_run_list(*, actor) -> QuerySet[CrossCheckRun]:
    return scope(CrossCheckRun.objects.select_related("created_by"), actor=actor, field="region_id")


def crosscheck_run_get(*, actor, pk: int) -> CrossCheckRun:
    return get_object_or_404(crosscheck_run_list(actor=actor), pk=pk)


def crosscheck_flag_list(
    *, actor, rule: str = "", status: str = "", run: int | None = None
) -> QuerySet[CrossCheckFlag]:
    """The flags of the reader's region, newest first, filtered by rule, status and run."""
    flags = scope(
        CrossCheckFlag.objects.select_related("household", "member", "run"),
        actor=actor,
        field="household__village_id",
    )
    if rule in CrossCheckRule.values:
        flags = flags.filter(rule=rule)
    if status in FlagStatus.values:
        flags = flags.filter(status=status)
    if run:
        flags = flags.filter(run_id=run)
    return flags


def crosscheck_flag_get(*, actor, pk: int) -> CrossCheckFlag:
    return get_object_or_404(
        crosscheck_flag_list(actor=actor).select_related(
            "household__village", "decided_by", "run__created_by"
        ),
        pk=pk,
    )


def crosscheck_flag_changes(*, flag: CrossCheckFlag) -> QuerySet[CrossCheckFlagStatusChange]:
    return flag.status_changes.select_related("actor").order_by("at", "id")


def confirmed_crosscheck_flags(
    *, prefix: str, start: dt.date | None = None, end: dt.date | None = None, actor=None
) -> QuerySet[CrossCheckFlag]:
    """Flags confirmed under a region prefix, decided in [start, end): what the bulletin lists."""
    flags = region_rows(
        CrossCheckFlag.objects.filter(status=FlagStatus.CONFIRMED).select_related("household", "member"),
        field="household__village_id",
        region=prefix,
        actor=actor,
    )
    if start:
        flags = flags.filter(decided_at__date__gte=start)
    if end:
        flags = flags.filter(decided_at__date__lt=end)
    return flags.order_by("decided_at", "id")


def crosscheck_identification_errors(
    *, prefix: str, start: dt.date | None = None, end: dt.date | None = None, actor=None
) -> dict[str, int]:
    """{rule: households}: identification errors the cross-checks confirmed, each household counted
    once per kind of error however many lists or members found it (a source of the error rate)."""
    rows = (
        confirmed_crosscheck_flags(prefix=prefix, start=start, end=end, actor=actor)
        .order_by()
        .values("rule")
        .annotate(households=Count("household", distinct=True))
    )
    return {row["rule"]: row["households"] for row in rows}
