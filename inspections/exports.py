"""The rectification ledger (整改台账) as .xlsx, in the usual layout: title row, header, one row per item."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import xlsx

from .models import RectificationItem


def ledger_workbook(items) -> bytes:
    """ID numbers typed into text (a finding's description) are masked (core.pii); text a
    spreadsheet would run as a formula stays text (core.xlsx)."""
    book = xlsx.Workbook(mask_ids=True)
    ws = book.sheet(_("Rectification ledger"))
    headers = [
        pgettext("ledger column", "No."), _("Finding source"), _("Problem category"), _("Problem found"), _("Place"),
        _("Rectification required"), _("Kind"), _("Responsible unit"), pgettext("rectification", "Deadline"), _("Status"),
        _("Evidence of rectification"), _("Closed on"), _("Overdue since"), _("Sent back because"),
    ]  # fmt: skip
    ws.title_row(
        _("Rectification ledger (整改台账)") + f" {timezone.localdate():%Y-%m-%d}", span=len(headers)
    )
    ws.header(headers)
    qs = items.select_related("finding", "finding__region", "responsible_unit").order_by("deadline", "id")
    for n, item in enumerate(qs.iterator(chunk_size=2000), start=1):
        f: RectificationItem = item
        ws.append(
            [
                n,
                f.finding.get_source_display(),
                f.finding.get_category_display(),
                f.finding.description,
                f.finding.region.name,
                f.description,
                f.get_kind_display(),
                f.responsible_unit.name,
                f.deadline,
                f.get_status_display(),
                f.evidence_note,
                timezone.localtime(f.closed_at).date() if f.closed_at else None,
                f.overdue_since,
                f.sent_back_reason,
            ]
        )
    ws.column_widths([6, 18, 14, 40, 16, 40, 12, 24, 12, 14, 40, 12, 12, 30])
    ws.print_setup(title_rows=(2, 2), landscape=True, fit_width=False, center=False, margin=0.7, footer="")
    return book.content()


def ledger_response(items) -> HttpResponse:
    response = HttpResponse(
        ledger_workbook(items),
        content_type=xlsx.XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="ledger-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
