"""Excel exports of an account's ledger and of a reconciliation (with its flags)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.pii import mask_id_numbers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell starting with one of these as a formula (formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"


def safe(value):
    """Text a spreadsheet would treat as a formula is prefixed with an apostrophe; numbers stay numbers.
    ID numbers typed into text are masked (core.pii): a file travels further than a page."""
    if isinstance(value, str):
        value = mask_id_numbers(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _sheet(wb, title: str, header: list[str], money_columns: set[int]):
    ws = wb.create_sheet(title)
    ws.append([str(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"

    def add(row):
        ws.append([safe(v) for v in row])
        for i in money_columns:
            ws.cell(row=ws.max_row, column=i + 1).number_format = MONEY_FORMAT

    return ws, add


def _response(wb: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def ledger_xlsx(*, account, opening, lines, user) -> HttpResponse:
    wb = Workbook()
    wb.remove(wb.active)
    _ws, add = _sheet(
        wb,
        _("Ledger"),
        [_("Entry"), _("Booked on"), _("Kind"), _("Memo"), _("Debit"), _("Credit"), _("Balance")],
        {4, 5, 6},
    )
    add(["", "", "", _("Opening balance"), None, None, opening])
    for line in lines.iterator(chunk_size=2000):
        entry = line.entry
        add(
            [entry.pk, entry.booked_on, entry.get_kind_display(), entry.memo, line.debit or None,
             line.credit or None, line.running_balance]
        )  # fmt: skip
    stamp = timezone.localdate().isoformat()
    return _response(wb, f"ledger-{account.pk}-{stamp}.xlsx")


def reconciliation_xlsx(*, rec, flags) -> HttpResponse:
    wb = Workbook()
    wb.remove(wb.active)
    _ws, add = _sheet(wb, _("Reconciliation"), [_("Item"), _("Amount (yuan)")], {1})
    add([_("Reconciliation of"), rec.label])
    add([_("As of"), rec.as_of])
    for label, value in (
        (_("Budget"), rec.budget),
        (_("Allocated"), rec.allocated),
        (_("Allocated onward"), rec.allocated_out),
        (_("Disbursed"), rec.disbursed),
        (_("Reversed"), rec.reversed),
        (_("Balance"), rec.balance),
        (_("Difference"), rec.difference),
    ):
        add([label, value])
    _ws2, add2 = _sheet(wb, _("Accounts"), [_("Account"), _("Kind"), _("Balance")], {2})
    for row in rec.accounts:
        add2([row["account"].name, row["account"].get_kind_display(), row["balance"]])
    _ws3, add3 = _sheet(
        wb, _("Flags"), [_("Flag"), _("Detail"), _("Amount (yuan)"), _("Booked on"), _("Entry")], {2}
    )
    for flag in flags:
        add3([flag.code, flag.message, flag.amount, flag.booked_on, flag.entry_id])
    return _response(wb, f"reconciliation-{rec.as_of.isoformat()}.xlsx")
