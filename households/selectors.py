"""Reads for households. Every queryset starts from the scoping rule."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404

from core import pii
from core.models import Region, RegionLevel
from core.scoping import scope, scope_prefix, under_prefix

from .models import (
    CheckStatus,
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    HouseholdImport,
    Member,
    ProcedureCase,
    VerificationCampaign,
    VerificationCheck,
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


@dataclass
class HouseholdFilters:
    q: str = ""
    region: str = ""  # a county, township or village code (12 digits)
    status: str = ""
    cause: str = ""
    attribute: str = ""
    year: int | None = None
    sort: str = DEFAULT_SORT

    @classmethod
    def from_params(cls, params) -> HouseholdFilters:
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
        return cls(
            q=(params.get("q") or "").strip(),
            region=region.strip(),
            status=params.get("status") or "",
            cause=params.get("cause") or "",
            attribute=params.get("attribute") or "",
            year=year,
            sort=params.get("sort") or DEFAULT_SORT,
        )


def household_base(*, actor, keyset: bool = False) -> QuerySet[Household]:
    """`keyset=True` for lists read in (updated_at, id) order (the API's cursor pages): a county is
    then said as left(village_id, 6) = '411525', the words of household_county_updated_idx, so
    its first page does not walk the province's updated_at index. Otherwise (pages sorted by
    village, file number…) the region is a range of village codes, which the village_id btree
    serves in its own order (see core.scoping.under_prefix)."""
    return scope(
        Household.objects.all(), actor=actor, field="village_id", how="county" if keyset else "range"
    )


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


def household_list(
    *, actor, filters: HouseholdFilters | None = None, keyset: bool = False
) -> QuerySet[Household]:
    """One query for the rows (village joined); the page adds one count. `keyset`: see household_base."""
    f = filters or HouseholdFilters()
    qs = household_base(actor=actor, keyset=keyset).select_related("village")
    if f.region and f.region.isdigit() and len(f.region) == 12:
        from core.regions import prefix_from_code

        prefix = prefix_from_code(f.region)
        if prefix != scope_prefix(actor):  # household_base said it already
            qs = under_prefix(qs, "village_id", prefix, how="county" if keyset else "range")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.attribute:
        qs = qs.filter(attribute=f.attribute)
    if f.cause:
        qs = qs.filter(Q(main_cause=f.cause) | Q(secondary_causes__contains=[f.cause]))
    if f.year:
        qs = qs.filter(identified_year=f.year)
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
        household.procedures.prefetch_related("steps__evidence", "steps__actor").order_by("created_at", "id")
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


def duplicate_list(*, actor, status: str = DuplicateStatus.OPEN) -> QuerySet[DuplicateCandidate]:
    from core.scoping import scope_prefix

    prefix = scope_prefix(actor)
    qs = DuplicateCandidate.objects.select_related("household_a__village", "household_b__village")
    if prefix is None:
        return qs.none()
    if prefix:
        qs = qs.filter(
            Q(household_a__village__code__startswith=prefix)
            | Q(household_b__village__code__startswith=prefix)
        )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "id")


def duplicate_get(*, actor, pk: int) -> DuplicateCandidate:
    return get_object_or_404(duplicate_list(actor=actor, status=""), pk=pk)


def campaign_list(*, actor) -> QuerySet[VerificationCampaign]:
    return scope(VerificationCampaign.objects.select_related("region"), actor=actor, field="region_id")


def campaign_get(*, actor, pk: int) -> VerificationCampaign:
    return get_object_or_404(campaign_list(actor=actor), pk=pk)


def campaign_checks(*, actor, campaign: VerificationCampaign) -> QuerySet[VerificationCheck]:
    qs = VerificationCheck.objects.filter(campaign=campaign).select_related("household", "village")
    return scope(qs, actor=actor, field="village_id").order_by("village_id", "household_id")


def check_get(*, actor, pk: int) -> VerificationCheck:
    qs = VerificationCheck.objects.select_related("campaign", "household__village", "village")
    return get_object_or_404(scope(qs, actor=actor, field="village_id"), pk=pk)


def campaign_progress(*, actor, campaign: VerificationCampaign) -> dict:
    """Checked / total per village and per county (one grouped query each)."""
    checks = scope(VerificationCheck.objects.filter(campaign=campaign), actor=actor, field="village_id")
    done = Count("id", filter=~Q(status=CheckStatus.PENDING))
    corrected = Count("id", filter=Q(status=CheckStatus.CORRECTED))
    villages = list(
        checks.values("village_id", "village__name").annotate(
            total=Count("id"), done=done, corrected=corrected
        )
    )
    counties = list(
        checks.annotate(county=Substr("village_id", 1, 6))
        .values("county")
        .annotate(total=Count("id"), done=done, corrected=corrected)
        .order_by("county")
    )
    names = dict(
        Region.objects.filter(code__in=[c["county"].ljust(12, "0") for c in counties]).values_list(
            "code", "name"
        )
    )
    for c in counties:
        c["name"] = names.get(c["county"].ljust(12, "0"), c["county"])
    for row in (*villages, *counties):
        row["percent"] = int(row["done"] * 100 / row["total"]) if row["total"] else 100
    total = sum(c["total"] for c in counties)
    finished = sum(c["done"] for c in counties)
    return {
        "villages": sorted(villages, key=lambda v: v["village_id"]),
        "counties": counties,
        "total": total,
        "done": finished,
        "percent": int(finished * 100 / total) if total else 100,
    }


def import_list(*, actor) -> QuerySet[HouseholdImport]:
    return scope(HouseholdImport.objects.all(), actor=actor, field="region_id")


def import_get(*, actor, pk: int) -> HouseholdImport:
    return get_object_or_404(import_list(actor=actor), pk=pk)
