"""Reads for core: every queryset goes through the scoping rule."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Officer, Region, Unit
from .scoping import scope


def region_list(*, actor, level: str | None = None, parent: str | None = None) -> QuerySet[Region]:
    qs = scope(Region.objects.all(), actor=actor, field="code")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    return qs.order_by("code")


def unit_list(*, actor) -> QuerySet[Unit]:
    return scope(Unit.objects.select_related("region"), actor=actor, field="region_id")


def officer_list(*, actor, search: str | None = None) -> QuerySet[Officer]:
    qs = scope(Officer.objects.select_related("unit", "region"), actor=actor, field="region_id")
    if search:
        qs = qs.filter(name__icontains=search.strip())
    return qs.order_by("region_id", "name", "id")


def officer_get(*, actor, pk: int) -> Officer:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(officer_list(actor=actor), pk=pk)
