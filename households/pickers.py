"""The one household look-up (core.pickers), for every form that names a household: by the head's or a
member's name (prefix), the file number or the phone — in the reader's scope (core.scoping).

Never by ID number: an exact number is searched through the POST search only (households.selectors.
household_search_by_id, which counts and logs the probe), and a tail of one would reveal masked
digits. Each app serves the source under its own permission (`household_source(permission=…)`)."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from core.picker_sources import region_prefix
from core.pickers import PickerSource
from core.scoping import scope

from .models import Household
from .selectors import is_id_number, search_households

PHONE_RE = re.compile(r"^1\d{10}$")


def _households(actor) -> QuerySet[Household]:
    return scope(Household.objects.select_related("village"), actor=actor, field="village_id").order_by(
        "file_number"
    )


def _search(qs: QuerySet[Household], q: str) -> QuerySet[Household]:
    """File number: exact; phone: exact; name: prefix of the head's or a member's name (indexed)."""
    if PHONE_RE.match(q):
        return qs.filter(phone=q)
    if is_id_number(q):
        return qs.none()
    return search_households(qs, q)


def _in_county(qs: QuerySet[Household], county: str) -> QuerySet[Household]:
    prefix = region_prefix(county)
    return qs.filter(village__code__startswith=prefix) if prefix else qs.none()


def _in_village(qs: QuerySet[Household], village: str) -> QuerySet[Household]:
    return qs.filter(village_id=village) if region_prefix(village) else qs.none()


def _detail(h: Household) -> str:
    return f"{h.file_number} · {h.village.name} · {h.get_status_display()}"


def household_source(*, permission: str) -> PickerSource:
    """`county` and `village` (12-digit codes) narrow the search to a county or one village."""
    return PickerSource(
        name="households", permission=permission, rows=_households, search=_search,
        label=lambda h: h.head_name, detail=_detail, filters={"county": _in_county, "village": _in_village},
    )  # fmt: skip
