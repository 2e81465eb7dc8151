"""The rectification ledger (整改台账) as .xlsx, in the usual layout: title row, header, one row per item."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.pii import mask_id_numbers

from .models import RectificationItem

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is prefixed with ' (CSV/formula injection);
    ID numbers typed into text (a finding's description) are masked (core.pii)."""
    if isinstance(value, str):
        value = mask_id_numbers(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def ledger_workbook(items) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = _("Rectification ledger")[:31]
    headers = [
        pgettext("ledger column", "No."), _("Finding source"), _("Problem category"), _("Problem found"), _("Place"),
        _("Rectification required"), _("Kind"), _("Responsible unit"), _("Deadline"), _("Status"),
        _("Evidence of rectification"), _("Closed on"), _("Overdue since"), _("Sent back because"),
    ]  # fmt: skip
    ws.append([safe_cell(_("Rectification ledger (整改台账)") + f" {timezone.localdate():%Y-%m-%d}")])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    qs = items.select_related("finding", "finding__region", "responsible_unit").order_by("deadline", "id")
    for n, item in enumerate(qs.iterator(chunk_size=2000), start=1):
        f: RectificationItem = item
        ws.append(
            [
                n,
                f.finding.get_source_display(),
                f.finding.get_category_display(),
                safe_cell(f.finding.description),
                safe_cell(f.finding.region.name),
                safe_cell(f.description),
                f.get_kind_display(),
                safe_cell(f.responsible_unit.name),
                f.deadline,
                f.get_status_display(),
                safe_cell(f.evidence_note),
                timezone.localtime(f.closed_at).date() if f.closed_at else None,
                f.overdue_since,
                safe_cell(f.sent_back_reason),
            ]
        )
    widths = [6, 18, 14, 40, 16, 40, 12, 24, 12, 14, 40, 12, 12, 30]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ledger_response(items) -> HttpResponse:
    response = HttpResponse(
        ledger_workbook(items),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="ledger-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
