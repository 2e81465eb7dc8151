"""Households and their members: the scoped base, filters, search by name or ID number, one file."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from core import pii
from core.exceptions import DomainError
from core.models import Region, RegionLevel
from core.scoping import scope

from ..models import (
    CaseState,
    Household,
    Member,
    ProcedureCase,
    ProcedureCaseStatusChange,
    ProcedureKind,
)

ID_RE = re.compile(r"^[0-9]{17}[0-9Xx]$")


FILE_RE = re.compile(r"^[0-9A-Za-z-]{4,32}$")


SORTS = {
    "file": ("file_number",),
    "-file": ("-file_number",),
    "name": ("head_name", "id"),
    "-name": ("-head_name", "-id"),
    "year": ("identified_year", "id"),
    "-year": ("-identified_year", "-id"),
    "members": ("member_count", "id"),
    "-members": ("-member_count", "-id"),
    "changed": ("status_changed_at", "id"),
    "-changed": ("-status_changed_at", "-id"),
    "village": ("village_id", "file_number"),
}


DEFAULT_SORT = "village"


# "Procedure in progress" (issue 21): any open case, or an open case of one kind. A semi-join on
# procedure_one_open_case_per_household, the partial unique index of open cases (one per household).
PROCEDURE_ANY = "any"
PROCEDURE_FILTERS = (PROCEDURE_ANY, *ProcedureKind.values)


def is_id_number(q: str) -> bool:
    """A full 18-digit ID number: searched exactly, and only from a POST body."""
    return bool(ID_RE.match((q or "").strip()))


class IdNumberInUrl(DomainError):
    default_code = "id_number_in_url"

    def __init__(self):
        super().__init__(
            _(
                "Search: an ID number may not be sent in a web address (it would stay in logs and "
                "the browser's history). Use the search box, which sends it in the request body, "
                "or POST /api/v1/households/search/."
            ),
            field="q",
        )


@dataclass
class HouseholdFilters:
    q: str = ""
    region: str = ""  # a county, township or village code (12 digits)
    status: str = ""
    cause: str = ""
    attribute: str = ""
    year: int | None = None
    procedure: str = ""  # PROCEDURE_FILTERS: households with a procedure in progress
    sort: str = DEFAULT_SORT

    @classmethod
    def from_params(cls, params, *, in_url: bool = True) -> HouseholdFilters:
        """`params`: a query string (`in_url`) or a POST body. A full ID number in a URL is
        refused (IdNumberInUrl): it would stay in proxy logs and the browser's history."""
        year = params.get("year") or None
        try:
            year = int(year) if year else None
        except ValueError:
            year = None
        region = ""
        for key in ("village", "township", "county", "region"):
            if params.get(key):
                region = params.get(key)
                break
        q = (params.get("q") or "").strip()
        if in_url and is_id_number(q):
            raise IdNumberInUrl
        return cls(
            q=q,
            region=region.strip(),
            status=params.get("status") or "",
            cause=params.get("cause") or "",
            attribute=params.get("attribute") or "",
            year=year,
            procedure=params.get("procedure") if params.get("procedure") in PROCEDURE_FILTERS else "",
            sort=params.get("sort") or DEFAULT_SORT,
        )


def household_base(*, actor, keyset: bool = False, within: str | None = None) -> QuerySet[Household]:
    """`keyset=True` for lists read in (updated_at, id) order (the API's cursor pages): a county is
    then said as left(village_id, 6) = '411525', the words of household_county_updated_idx, so
    its first page does not walk the province's updated_at index. Otherwise (pages sorted by
    village, file number…) the region is a range of village codes, which the village_id btree
    serves in its own order (see core.scoping.under_prefix). `within`: a region the reader chose,
    said with the scope as one condition (core.scoping.scope)."""
    how = "county" if keyset else "range"
    return scope(Household.objects.all(), actor=actor, field="village_id", how=how, within=within)


def search_households(qs: QuerySet[Household], q: str) -> QuerySet[Household]:
    """ID number: exact, through the keyed hash (the full number is never stored in clear).
    File number: exact. Name: prefix of any member's name, the head's included (indexed)."""
    q = q.strip()
    if not q:
        return qs
    if ID_RE.match(q):
        # Under every configured key: a key rotation leaves old hashes beside new ones.
        digests = pii.keyed_hashes(q)
        return qs.filter(id__in=Member.objects.filter(id_number_hash__in=digests).values("household_id"))
    if FILE_RE.match(q) and any(ch.isdigit() for ch in q):
        return qs.filter(file_number=q)
    # The head is a member too, so one semi-join on member_name_idx finds heads and members alike
    # (an OR with head_name would defeat the indexes and scan the households).
    return qs.filter(id__in=Member.objects.filter(name__startswith=q).values("household_id"))


def household_search_by_id(
    *,
    actor,
    id_number: str,
    filters: HouseholdFilters | None = None,
    channel: str = "search",
    where: str = "",
    field: str = "q",
) -> QuerySet[Household]:
    """The households, in the actor's scope, of which a member holds exactly this ID number.
    Callers take the number from a POST body only (see HouseholdFilters.from_params).

    Whether a number exists is itself personal data: for roles that may not reveal numbers, each
    exact search counts against the daily cap of ID-number probes and is logged like a reveal
    (pii.count_probe raises ProbeLimitReached, naming `field`, over the cap) — here, the one place
    every exact search passes. `channel` (web, api) and `where` (the path) go to the access log."""
    number = pii.normalise_id(id_number)
    pii.count_probe(actor, number=number, what="household_search", channel=channel, where=where, field=field)
    f = replace(filters or HouseholdFilters(), q=number)
    return household_list(actor=actor, filters=f)


def household_list(
    *, actor, filters: HouseholdFilters | None = None, keyset: bool = False
) -> QuerySet[Household]:
    """One query for the rows (village joined); the page adds one count. `keyset`: see household_base."""
    f = filters or HouseholdFilters()
    within = f.region if f.region and f.region.isdigit() and len(f.region) == 12 else None
    qs = household_base(actor=actor, keyset=keyset, within=within).select_related("village")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.attribute:
        qs = qs.filter(attribute=f.attribute)
    if f.cause:
        qs = qs.filter(Q(main_cause=f.cause) | Q(secondary_causes__contains=[f.cause]))
    if f.year:
        qs = qs.filter(identified_year=f.year)
    if f.procedure:
        open_cases = ProcedureCase.objects.filter(state=CaseState.OPEN)
        if f.procedure != PROCEDURE_ANY:
            open_cases = open_cases.filter(kind=f.procedure)
        qs = qs.filter(id__in=open_cases.values("household_id"))
    qs = search_households(qs, f.q)
    return qs.order_by(*SORTS.get(f.sort, SORTS[DEFAULT_SORT]))


def household_get(*, actor, pk: int) -> Household:
    # Village up to the province: the page's breadcrumb walks every parent.
    qs = household_base(actor=actor).select_related(
        "village__parent__parent__parent__parent", "assistance_officer"
    )
    return get_object_or_404(qs, pk=pk)


def member_list(*, actor, household: Household) -> QuerySet[Member]:
    return scope(
        Member.objects.filter(household=household), actor=actor, field="household__village_id"
    ).order_by("-is_active", "id")


def member_get(*, actor, household: Household, pk: int) -> Member:
    return get_object_or_404(member_list(actor=actor, household=household), pk=pk)


def procedure_timeline(*, household: Household) -> list[ProcedureCase]:
    return list(
        household.procedures.prefetch_related(
            "steps__evidence",
            "steps__actor",
            Prefetch("status_changes", queryset=ProcedureCaseStatusChange.objects.select_related("actor")),
        ).order_by("created_at", "id")
    )


def region_choices(*, actor) -> dict[str, list[tuple[str, str]]]:
    """Counties, townships and villages the actor may filter on, as (code, name) pairs."""
    regions = scope(Region.objects.all(), actor=actor, field="code").filter(
        level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]
    )
    out: dict[str, list[tuple[str, str]]] = {"county": [], "township": [], "village": []}
    for code, name, level in regions.order_by("code").values_list("code", "name", "level"):
        out[level].append((code, name))
    return out
