"""Excel export of a region's plans and measures (two sheets), streamed row by row."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.pii import mask_id_numbers
from households.models import PovertyCause

from . import selectors
from .models import MeasureKind, MeasureStatus

# Spreadsheet programs run a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)


def safe(value):
    """Text that a spreadsheet would treat as a formula is prefixed with an apostrophe; ID numbers
    typed into text are masked (core.pii): a file travels further than a page."""
    if isinstance(value, str):
        value = mask_id_numbers(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _causes(codes) -> str:
    labels = dict(PovertyCause.choices)
    return "、".join(str(labels.get(c, c)) for c in codes)


def export_plans(*, actor, region: str | None, year: int) -> bytes:
    wb = Workbook(write_only=True)
    plans_ws = wb.create_sheet(_("Plans"))
    measures_ws = wb.create_sheet(_("Measures"))

    def header(ws, titles):
        row = []
        for t in titles:
            cell = WriteOnlyCell(ws, value=str(t))
            cell.font = BOLD
            row.append(cell)
        ws.append(row)

    header(
        plans_ws,
        [_("Plan id"), _("Village code"), _("Village"), _("File number"), _("Head of household"), _("Year"),
         _("Poverty causes"), _("Uncovered causes"), _("Late measures"), _("Assistance officer"), _("Approach")],
    )  # fmt: skip
    plans = (
        selectors.plan_list(actor=actor, filters={"region": region, "year": year})
        .order_by("household__village_id", "household__file_number")
        .iterator(chunk_size=2000)
    )
    for p in plans:
        hh = p.household
        plans_ws.append(
            [safe(v) for v in (
                p.pk, hh.village_id, hh.village.name, hh.file_number, hh.head_name, p.year, _causes(hh.causes),
                _causes(p.uncovered), p.late_measures, p.officer.name if p.officer else "", p.summary,
            )]
        )  # fmt: skip

    header(
        measures_ws,
        [_("Measure id"), _("Plan id"), _("Village code"), _("File number"), _("Head of household"), _("Kind"),
         _("Description"), _("Causes answered"), _("Responsible officer"), _("Planned completion"),
         _("Actual start"), _("Actual completion"), _("Status"), _("Late"), _("Expected yearly income gain (yuan)"),
         _("Actual yearly income gain (yuan)"), _("Money needed (yuan)"), _("Reason for cancelling")],
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
            [safe(v) for v in (
                m.pk, m.plan_id, hh.village_id, hh.file_number, hh.head_name, str(kinds[m.kind]), m.title,
                _causes(m.causes), m.responsible_officer.name if m.responsible_officer else "", m.planned_end,
                m.actual_start, m.actual_end, str(statuses[m.status]), _("yes") if m.is_late(today) else "",
                m.expected_income_gain, m.actual_income_gain, m.funds_needed, m.cancel_reason,
            )]
        )  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
