"""Excel import jobs of the reader's region."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from core.scoping import scope

from ..models import HouseholdImport


def import_list(*, actor) -> QuerySet[HouseholdImport]:
    return scope(HouseholdImport.objects.all(), actor=actor, field="region_id")


def import_get(*, actor, pk: int) -> HouseholdImport:
    return get_object_or_404(import_list(actor=actor), pk=pk)
