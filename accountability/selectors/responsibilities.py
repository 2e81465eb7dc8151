"""Reads of 五个责任: who answered for a region on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from core.scoping import ensure_in_scope, scope

from ..models import Responsibility
from ..regions import ancestor_codes


def active_on_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def responsible_on(
    *, region_code: str, on: dt.date, kinds: Iterable[str] | None = None
) -> QuerySet[Responsibility]:
    """Every responsibility for the region or a region above it, active on `on`; nearest first.

    Not scoped: the rules use it to find whom a finding traces back to. Pages call
    `who_was_responsible`, which is.
    """
    qs = Responsibility.objects.filter(active_on_q(on), region_id__in=ancestor_codes(region_code))
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return qs.select_related("officer", "unit", "region").order_by("-region_id", "kind", "valid_from", "id")


def who_was_responsible(*, actor, region_code: str, on: dt.date) -> list[Responsibility]:
    ensure_in_scope(actor, region_code)
    return list(responsible_on(region_code=region_code, on=on))


def responsibility_list(
    *,
    actor,
    kind: str | None = None,
    region_prefix: str | None = None,
    officer_id: int | None = None,
    active_on: dt.date | None = None,
) -> QuerySet[Responsibility]:
    # A chosen region (a code or a code prefix) narrows the scope in the same condition.
    qs = scope(
        Responsibility.objects.select_related("officer", "unit", "region"),
        actor=actor,
        field="region_id",
        within=region_prefix or None,
    )
    if kind:
        qs = qs.filter(kind=kind)
    if officer_id:
        qs = qs.filter(officer_id=officer_id)
    if active_on:
        qs = qs.filter(active_on_q(active_on))
    return qs.order_by("region_id", "kind", "-valid_from", "id")


def responsibility_get(*, actor, pk: int) -> Responsibility:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(responsibility_list(actor=actor), pk=pk)
