"""Possible duplicates: a county's pairs, the city's queue across counties, notices of pairs outside the reader's region."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Left
from django.shortcuts import get_object_or_404

from core.scoping import in_scope, scope, scope_q

from ..models import (
    DuplicateCandidate,
    DuplicateStatus,
    Household,
)


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
