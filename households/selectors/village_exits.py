"""Reads for poor villages and their exit (贫困村退出), from the scoping rule."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from core.scoping import region_rows, scope

from ..models import (
    CaseState,
    PoorVillage,
    Step,
    VillageExitCase,
    VillageExitEvidence,
    VillageExitStandard,
    VillageExitStep,
    VillagePopulation,
)
from ..services.village_exits import incidence, poor_population


def poor_village_list(*, actor, status: str = "", within: str | None = None) -> QuerySet[PoorVillage]:
    """The poor villages in the reader's scope, with their latest exit procedure's state and step."""
    latest = VillageExitCase.objects.filter(poor_village=OuterRef("pk")).order_by("-created_at", "-id")
    qs = scope(PoorVillage.objects.all(), actor=actor, field="village_id", within=within or None)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("village__parent__parent")
        .annotate(
            exit_state=Subquery(latest.values("state")[:1]),
            exit_last_step=Subquery(latest.values("last_step")[:1]),
            exit_notice_end=Subquery(latest.values("notice_end")[:1]),
        )
        .order_by("village_id")
    )


def poor_village_get(*, actor, code: str) -> PoorVillage:
    village = (
        scope(PoorVillage.objects.select_related("village__parent__parent"), actor=actor, field="village_id")
        .filter(pk=code)
        .first()
    )
    if village is None:
        raise Http404
    return village


def village_exit_cases(*, poor_village: PoorVillage) -> list[VillageExitCase]:
    steps = VillageExitStep.objects.select_related("actor").prefetch_related(
        Prefetch("evidence", queryset=VillageExitEvidence.objects.order_by("item", "id"))
    )
    return list(
        poor_village.exit_cases.select_related("started_by")
        .prefetch_related(Prefetch("steps", queryset=steps), "status_changes")
        .order_by("-created_at", "-id")
    )


def village_figures(*, village_code: str, year: int | None = None) -> dict:
    """The year's incidence as it stands: registered poor people over the recorded population."""
    year = year or timezone.localdate().year
    record = VillagePopulation.objects.filter(village_id=village_code, year=year).first()
    standard = VillageExitStandard.objects.filter(year=year).first()
    poor = poor_population(village_code)
    rate = incidence(poor, record.registered_population) if record else None
    return {
        "year": year, "poor": poor, "population": record.registered_population if record else None,
        "incidence": rate, "standard": standard,
        "below": rate is not None and standard is not None and rate < standard.max_incidence,
    }  # fmt: skip


def village_populations(*, village_code: str) -> QuerySet[VillagePopulation]:
    return (
        VillagePopulation.objects.filter(village_id=village_code)
        .select_related("recorded_by")
        .order_by("-year")
    )


def evidence_get(*, poor_village: PoorVillage, pk: int) -> VillageExitEvidence:
    evidence = VillageExitEvidence.objects.filter(pk=pk, step__case__poor_village=poor_village).first()
    if evidence is None:
        raise Http404
    return evidence


def village_exits_in_notice(*, region: str, today=None) -> QuerySet[VillageExitCase]:
    """Village exits whose public notice runs today under `region` (a code or prefix): the notice boards'."""
    today = today or timezone.localdate()
    qs = VillageExitCase.objects.filter(
        state=CaseState.OPEN, last_step=Step.EXIT_NOTICE, notice_start__lte=today, notice_end__gte=today
    )
    return region_rows(qs, field="poor_village_id", region=region).select_related("poor_village__village")
