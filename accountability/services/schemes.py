"""Versions of the 考评办法: a new version copies the one it follows and adds indicators, effective
from a month; scores keep the version they were computed with, so the months before it keep theirs
(`scoring.scheme_for` picks the version in force at each month's end)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import DomainError

from ..models import AssessmentIndicator, AssessmentScheme, IndicatorCode, VetoCondition

# 走访 and 驻村 (issue 18.2–18.3): half a point per household its officer did not visit in the month
# (at most 10), half a point per day short of the required days in the village (at most 10).
FIELDWORK_INDICATORS = [
    (IndicatorCode.HOUSEHOLDS_NOT_VISITED, Decimal("0.5"), Decimal("10")),
    (IndicatorCode.PRESENCE_SHORTFALL, Decimal("0.5"), Decimal("10")),
]
FIELDWORK_CODES = frozenset(str(code) for code, _w, _c in FIELDWORK_INDICATORS)


@transaction.atomic
def scheme_new_version(
    *, scheme: AssessmentScheme, effective_from: dt.date, add: list[tuple[str, Decimal, Decimal | None]], actor=None,
    title: str | None = None,
) -> AssessmentScheme:  # fmt: skip
    """Version n+1 of `scheme`'s code: its thresholds, indicators and vetoes, plus `add`
    (indicator, points per item, cap), in force from `effective_from` (the first of a month)."""
    if effective_from.day != 1:
        raise DomainError(_("Effective from: the first day of a month."), field="effective_from")
    if effective_from <= scheme.effective_from:
        raise DomainError(_("Effective from: after the version it follows."), field="effective_from")
    latest = AssessmentScheme.objects.filter(code=scheme.code).order_by("-version").first()
    with actor_context(actor):
        new = AssessmentScheme.objects.create(
            code=scheme.code, version=latest.version + 1, title=title or scheme.title, effective_from=effective_from,
            base_score=scheme.base_score, good_min=scheme.good_min, fairly_good_min=scheme.fairly_good_min,
            average_min=scheme.average_min,
        )  # fmt: skip
        have = set()
        for i in scheme.indicators.all():
            AssessmentIndicator.objects.create(
                scheme=new, code=i.code, severity=i.severity, weight=i.weight, cap=i.cap
            )
            have.add((i.code, i.severity))
        for code, weight, cap in add:
            if (str(code), "") not in have:
                AssessmentIndicator.objects.create(scheme=new, code=code, weight=weight, cap=cap)
        for v in scheme.vetoes.all():
            VetoCondition.objects.create(
                scheme=new, code=v.code, severity=v.severity, threshold=v.threshold, description=v.description
            )
    return new


def scheme_add_fieldwork_version(
    *, scheme: AssessmentScheme, effective_from: dt.date, actor=None
) -> AssessmentScheme:
    """The version that scores visits and days in the village (issue 18), once per scheme code."""
    existing = (
        AssessmentScheme.objects.filter(code=scheme.code, indicators__code__in=FIELDWORK_CODES)
        .order_by("version")
        .first()
    )
    if existing is not None:
        return existing
    return scheme_new_version(
        scheme=scheme, effective_from=effective_from, add=FIELDWORK_INDICATORS, actor=actor
    )


def scores_fieldwork(scheme: AssessmentScheme) -> bool:
    return any(i.code in FIELDWORK_CODES for i in scheme.indicators.all())
