"""Look-ups of core's rows for the forms of other apps (core.pickers): units, officers and villages,
searched by name, in the reader's scope (core.scoping), narrowed to a county the form has chosen.

Each app serves a source under its own permission (`unit_source(permission=…)`, one JSON route per
form's app): the rows and the search are the same everywhere."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from .models import Officer, Region, RegionLevel, Unit
from .pickers import PickerSource
from .regions import pad_code, prefix_from_code
from .scoping import scope


def region_prefix(code: str) -> str | None:
    """The significant prefix of a region code sent as a filter, or None when it is not one."""
    try:
        return prefix_from_code((code or "").strip())
    except ValueError:
        return None


def _by_name(qs: QuerySet, q: str, *, field: str = "name") -> QuerySet:
    """Names containing the text, those starting with it first (a unit is often typed from its start:
    修武县扶贫办 — and as often by the part that tells it apart: 扶贫办)."""
    return (
        qs.filter(**{f"{field}__icontains": q})
        .alias(starts=Case(When(**{f"{field}__istartswith": q}, then=Value(0)), default=Value(1),
                           output_field=IntegerField()))
        .order_by("starts", *qs.query.order_by)
    )  # fmt: skip


# --- units ------------------------------------------------------------------------------------


def in_line_with(qs: QuerySet, county: str, *, field: str = "region_id") -> QuerySet:
    """Units (or officers) that may answer for a place in `county` (core.regions.in_line): the county's own and those
    of its townships and villages, and the city's and province's above it — never another county's."""
    prefix = region_prefix(county)
    if prefix is None:
        return qs.none()
    column = field.removesuffix("_id")
    above = [pad_code(prefix[:n]) for n in (2, 4, 6, 9) if n < len(prefix)]
    return qs.filter(Q(**{f"{column}__code__startswith": prefix}) | Q(**{f"{column}__in": above}))


def _units(actor) -> QuerySet[Unit]:
    return scope(
        Unit.objects.filter(is_active=True).select_related("region"), actor=actor, field="region_id"
    ).order_by("region_id", "name")


def _unit_detail(unit: Unit) -> str:
    return f"{unit.region.name} · {unit.get_kind_display()}"


UNIT_MESSAGES = {
    "not_found": _("No unit in your region is named like “%(q)s”. Type a part of the unit's name."),
    "several": _("Several units match “%(q)s”: choose one from the list."),
    "choose": _("Choose a unit from the list (type a part of its name)."),
}


def unit_source(*, permission: str) -> PickerSource:
    """Active units by a part of their name; `county`: those in line with a county (12-digit code)."""
    return PickerSource(
        name="units", permission=permission, rows=_units, search=_by_name, label=lambda u: u.name,
        detail=_unit_detail, filters={"county": in_line_with}, placeholder=_("Part of the unit's name"),
        error_messages=UNIT_MESSAGES,
    )  # fmt: skip


# --- officers ---------------------------------------------------------------------------------


def _officers(actor) -> QuerySet[Officer]:
    return scope(
        Officer.objects.filter(is_active=True).select_related("unit", "region"),
        actor=actor,
        field="region_id",
    ).order_by("region_id", "name", "id")


def _search_officers(qs: QuerySet, q: str) -> QuerySet:
    """An officer's name (prefix, indexed: people are typed from the surname), or a part of their unit's."""
    return qs.filter(Q(name__startswith=q) | Q(unit__name__icontains=q))


OFFICER_MESSAGES = {
    "not_found": _("No officer in your region matches “%(q)s”. Type the name or a part of the unit's name."),
    "several": _("Several officers match “%(q)s”: choose one from the list."),
    "choose": _("Choose an officer from the list (type the name or the unit)."),
}


def officer_source(*, permission: str) -> PickerSource:
    return PickerSource(
        name="officers", permission=permission, rows=_officers, search=_search_officers,
        label=lambda o: o.name, detail=lambda o: f"{o.position} · {o.unit.name}",
        filters={"county": in_line_with},
        placeholder=_("Officer's name or unit"), error_messages=OFFICER_MESSAGES,
    )  # fmt: skip


# --- villages ---------------------------------------------------------------------------------


def _villages(actor) -> QuerySet[Region]:
    return scope(
        Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent__parent"),
        actor=actor,
        field="code",
    ).order_by("code")


def _in_county(qs: QuerySet, county: str) -> QuerySet:
    prefix = region_prefix(county)
    return qs.filter(code__startswith=prefix) if prefix else qs.none()


def _village_detail(village: Region) -> str:
    township = village.parent
    county = township.parent if township else None
    return " · ".join(r.name for r in (township, county) if r)


VILLAGE_MESSAGES = {
    "not_found": _("No village in your region is named like “%(q)s”. Type a part of the village's name."),
    "several": _("Several villages match “%(q)s”: choose one from the list."),
    "choose": _("Choose a village from the list (type a part of its name)."),
}


def village_source(*, permission: str) -> PickerSource:
    """Villages by a part of their name; `county`: within a county (12-digit code)."""
    return PickerSource(
        name="villages", permission=permission, rows=_villages, search=_by_name, label=lambda v: v.name,
        detail=_village_detail, filters={"county": _in_county}, placeholder=_("Part of the village's name"),
        error_messages=VILLAGE_MESSAGES,
    )  # fmt: skip
