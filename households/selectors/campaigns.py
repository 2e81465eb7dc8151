"""Re-verification campaigns: the campaigns, their checks and their progress by county and village."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404

from core.models import Region
from core.scoping import scope

from ..models import (
    CheckStatus,
    VerificationCampaign,
    VerificationCheck,
)


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
