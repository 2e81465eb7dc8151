"""Helpers shared by the inspections pages."""

from __future__ import annotations

from core.inputs import query_filters
from core.models import Unit
from core.scoping import scope


def page_filters(request, *keys, ids: tuple[str, ...] = ()):
    return query_filters(request.GET, *keys, ids=ids)


def active_units(actor):
    return scope(Unit.objects.filter(is_active=True), actor=actor, field="region_id").order_by(
        "region_id", "name"
    )
