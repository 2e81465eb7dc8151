"""Reads for households. Every queryset starts from the scoping rule."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Left, Substr
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from core import pii
from core.exceptions import DomainError
from core.models import Region, RegionLevel
from core.scoping import in_scope, scope, scope_q

from .models import (
    CheckStatus,
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    HouseholdImport,
    HouseholdTransfer,
    Member,
    ProcedureCase,
    TransferStatus,
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


def _pair_county_alias(qs: QuerySet[DuplicateCandidate]) -> QuerySet[DuplicateCandidate]:
    return qs.alias(county_a=Left("household_a__village_id", 6), county_b=Left("household_b__village_id", 6))


def _pairs_in_scope(*, actor) -> QuerySet[DuplicateCandidate]:
    """Pairs the actor may see whole: both households in their scope (issue 15.5: one side in
    scope showed the other county's file number to a clerk)."""
    qs = DuplicateCandidate.objects.select_related(
        "household_a__village", "household_b__village", "reviewed_by", "keep_household"
    )
    qs = scope(qs, actor=actor, field="household_a__village_id")
    return _pair_county_alias(scope(qs, actor=actor, field="household_b__village_id"))


def duplicate_list(*, actor, status: str = DuplicateStatus.OPEN) -> QuerySet[DuplicateCandidate]:
    """Pairs within one county, both households in the actor's scope. Pairs across two counties
    go to the city's queue (`duplicate_city_queue`)."""
    qs = _pairs_in_scope(actor=actor).filter(county_a=F("county_b"))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "id")


def duplicate_get(*, actor, pk: int) -> DuplicateCandidate:
    return get_object_or_404(duplicate_list(actor=actor, status=""), pk=pk)


def duplicate_city_queue(*, actor, status: str = DuplicateStatus.OPEN) -> QuerySet[DuplicateCandidate]:
    """The city's review queue: pairs whose households lie in two counties, both in the actor's
    scope (a city reviewer's scope is the city). Views ask for `view_cross_county_duplicates`."""
    qs = _pairs_in_scope(actor=actor).exclude(county_a=F("county_b"))
    # The page names each side's county and township.
    qs = qs.select_related("household_a__village__parent__parent", "household_b__village__parent__parent")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "id")


def duplicate_city_get(*, actor, pk: int) -> DuplicateCandidate:
    return get_object_or_404(duplicate_city_queue(actor=actor, status=""), pk=pk)


@dataclass(frozen=True)
class OutsideNotice:
    """What a clerk learns of a pair whose other household they may not see: that it exists, and
    who reviews it — never the other file's number, name or place."""

    household_id: int
    file_number: str
    head_name: str
    reason: str
    message: str


def duplicate_outside_notices(*, actor, household: Household | None = None) -> list[OutsideNotice]:
    """The actor's households that may hold a person registered outside the actor's region:
    open pairs with one side in scope and the other not, and pairs across counties that the
    city decided against this household (the person stays in the other file)."""
    from django.utils.translation import gettext as gettext_now

    pairs = _pair_county_alias(
        DuplicateCandidate.objects.select_related("household_a", "household_b")
    ).filter(Q(status=DuplicateStatus.OPEN) | Q(status=DuplicateStatus.SAME_PERSON))
    if household is not None:
        pairs = pairs.filter(Q(household_a=household) | Q(household_b=household))
    pairs = pairs.filter(
        scope_q(actor, "household_a__village_id") | scope_q(actor, "household_b__village_id")
    )
    notices: list[OutsideNotice] = []
    for pair in pairs.order_by("-created_at", "id")[:200]:
        a_mine = in_scope(actor, pair.household_a.village_id)
        b_mine = in_scope(actor, pair.household_b.village_id)
        cross_county = pair.household_a.village_id[:6] != pair.household_b.village_id[:6]
        if a_mine and b_mine and not cross_county:
            continue  # the actor reviews it on their own list
        own = pair.household_a if a_mine else pair.household_b
        if pair.status == DuplicateStatus.SAME_PERSON:
            if pair.keep_household_id == own.pk:
                continue
            message = gettext_now(
                "The city found that a person of this household is the same person as one registered "
                "outside your area, and kept them there: take them off this household's file."
            )
        elif cross_county:
            message = gettext_now(
                "This person may also be registered outside your area — the city reviews it."
            )
        else:
            message = gettext_now(
                "This person may also be registered outside your area — the county office reviews it."
            )
        notices.append(
            OutsideNotice(
                household_id=own.pk, file_number=own.file_number, head_name=own.head_name,
                reason=pair.get_reason_display(), message=message,
            )
        )  # fmt: skip
    return notices


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


def transfer_list(*, actor, direction: str = "incoming", status: str = TransferStatus.PENDING):
    """Transfers into the actor's region (`incoming`: theirs to accept or decline) or out of it
    (`outgoing`: released by their side, theirs to withdraw while pending)."""
    field = "to_village_id" if direction == "incoming" else "from_village_id"
    qs = HouseholdTransfer.objects.select_related(
        "household", "from_village__parent__parent", "to_village__parent__parent", "released_by", "decided_by"
    )
    qs = scope(qs, actor=actor, field=field)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-released_at", "-id")


def transfer_get(*, actor, pk: int) -> HouseholdTransfer:
    """A transfer either side of which lies in the actor's scope (each decision checks its side)."""
    incoming = transfer_list(actor=actor, direction="incoming", status="").filter(pk=pk)
    found = (
        incoming.first() or transfer_list(actor=actor, direction="outgoing", status="").filter(pk=pk).first()
    )
    if found is None:
        raise Http404
    return found


def household_transfers(*, household: Household) -> list[HouseholdTransfer]:
    """A household's transfers, newest first, for its page (the reader already may see it)."""
    return list(
        household.transfers.select_related(
            "from_village__parent__parent", "to_village__parent__parent", "released_by", "decided_by"
        ).order_by("-released_at", "-id")
    )
