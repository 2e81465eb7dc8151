"""Reads for the townships' monthly sign-offs: the township officer's page and the county's table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from core.models import Region, RegionLevel
from core.scoping import scope

from ..models import Household, SignOffHousehold, SignOffState, TownshipSignOff
from ..services.signoffs import changed_since, last_signoff, with_last_change


def signoff_list(*, actor, township: str = "") -> QuerySet[TownshipSignOff]:
    qs = scope(TownshipSignOff.objects.all(), actor=actor, field="township_id")
    if township:
        qs = qs.filter(township_id=township)
    return qs.select_related("township", "signed_by").order_by("-month", "township_id", "-signed_at")


def signoff_get(*, actor, pk: int) -> TownshipSignOff:
    signoff = signoff_list(actor=actor).filter(pk=pk).first()
    if signoff is None:
        raise Http404
    return signoff


def township_get(*, actor, code: str) -> Region:
    township = (
        scope(Region.objects.filter(level=RegionLevel.TOWNSHIP), actor=actor, field="code")
        .filter(code=code)
        .first()
    )
    if township is None:
        raise Http404
    return township


def changes_after(*, signoff: TownshipSignOff) -> QuerySet[Household]:
    """The township's households changed after `signoff`, with their last change as it recorded it
    (`signed_change`; None: the household is new since) and as it is now (`last_change`)."""
    recorded = SignOffHousehold.objects.filter(signoff=signoff, household=OuterRef("pk"))
    return (
        with_last_change(changed_since(township_code=signoff.township_id, at=signoff.signed_at))
        .annotate(
            signed_change=Subquery(recorded.values("last_change")[:1]),
            signed_status=Subquery(recorded.values("household_status")[:1]),
        )
        .select_related("village")
        .order_by("-last_change", "pk")
    )


def changed_at_signing(*, signoff: TownshipSignOff) -> QuerySet[Household]:
    """The households the sign-off listed as changed since the township's previous one."""
    ids = (signoff.counts or {}).get("changed_ids") or []
    return Household.objects.filter(pk__in=ids).select_related("village").order_by("pk")


def latest_signed(township_code: str) -> TownshipSignOff | None:
    return last_signoff(township_code)


@dataclass
class TownshipRow:
    township: Region
    signoff: TownshipSignOff | None


def township_table(*, actor, month: dt.date, within: str | None = None) -> list[TownshipRow]:
    """The townships in the reader's scope and their sign-off of `month` (None: not signed)."""
    signed = TownshipSignOff.objects.filter(township=OuterRef("code"), month=month, state=SignOffState.SIGNED)
    townships = (
        scope(
            Region.objects.filter(level=RegionLevel.TOWNSHIP),
            actor=actor,
            field="code",
            within=within or None,
        )
        .annotate(signoff_id=Subquery(signed.values("pk")[:1]))
        .select_related("parent")
        .order_by("code")
    )
    townships = list(townships[:1000])
    by_id = TownshipSignOff.objects.select_related("signed_by").in_bulk(
        [t.signoff_id for t in townships if t.signoff_id]
    )
    return [TownshipRow(township=t, signoff=by_id.get(t.signoff_id)) for t in townships]
