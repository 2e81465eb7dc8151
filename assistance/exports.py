"""Excel export of a region's plans and measures (two sheets), streamed row by row (core.xlsx)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core import xlsx
from households.models import PovertyCause

from . import selectors
from .models import MeasureKind, MeasureStatus


def _causes(codes) -> str:
    labels = dict(PovertyCause.choices)
    return "、".join(str(labels.get(c, c)) for c in codes)


def export_plans(*, actor, region: str | None, year: int) -> bytes:
    book = xlsx.Workbook(mask_ids=True)
    plans_ws = book.sheet(
        _("Plans"),
        headers=[_("Plan id"), _("Village code"), _("Village"), _("File number"), _("Head of household"), _("Year"),
         _("Poverty causes"), _("Uncovered causes"), _("Late measures"), _("Assistance officer"), _("Approach")],
    )  # fmt: skip
    measures_ws = book.sheet(
        _("Measures"),
        headers=[_("Measure id"), _("Plan id"), _("Village code"), _("File number"), _("Head of household"), _("Kind"),
         _("Description"), _("Causes answered"), _("Responsible officer"), _("Planned completion"),
         _("Actual start"), _("Actual completion"), _("Status"), _("Late"), _("Expected yearly income gain (yuan)"),
         _("Actual yearly income gain (yuan)"), _("Money needed (yuan)"), _("Reason for cancelling")],
    )  # fmt: skip
    plans = (
        selectors.plan_list(actor=actor, filters={"region": region, "year": year})
        .order_by("household__village_id", "household__file_number")
        .iterator(chunk_size=2000)
    )
    for p in plans:
        hh = p.household
        plans_ws.append(
            (
                p.pk, hh.village_id, hh.village.name, hh.file_number, hh.head_name, p.year, _causes(hh.causes),
                _causes(p.uncovered), p.late_measures, hh.assistance_officer.name if hh.assistance_officer_id else "", p.summary,
            )
        )  # fmt: skip

    kinds, statuses = dict(MeasureKind.choices), dict(MeasureStatus.choices)
    today = timezone.localdate()
    measures = (
        selectors.measure_list(actor=actor, filters={"region": region})
        .filter(plan__year=year)
        .select_related("plan__household")
        .order_by("plan__household__village_id", "plan__household__file_number", "planned_end", "id")
        .iterator(chunk_size=2000)
    )
    for m in measures:
        hh = m.plan.household
        measures_ws.append(
            (
                m.pk, m.plan_id, hh.village_id, hh.file_number, hh.head_name, str(kinds[m.kind]), m.title,
                _causes(m.causes), m.responsible_officer.name if m.responsible_officer else "", m.planned_end,
                m.actual_start, m.actual_end, str(statuses[m.status]), _("yes") if m.is_late(today) else "",
                m.expected_income_gain, m.actual_income_gain, m.funds_needed, m.cancel_reason,
            )
        )  # fmt: skip
    return book.content()
