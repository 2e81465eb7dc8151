"""Excel exports of an account's ledger and of a reconciliation (with its flags), through core.xlsx.

Amounts are Decimals (yuan, #,##0.00) and dates dates; text that a spreadsheet would run as a
formula is kept as text by the writer. ID numbers typed into text are masked (core.pii): a file
travels further than a page.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import xlsx


def _response(book: xlsx.Workbook, filename: str) -> HttpResponse:
    response = HttpResponse(book.content(), content_type=xlsx.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def ledger_xlsx(*, account, opening, lines, user) -> HttpResponse:
    book = xlsx.Workbook(mask_ids=True)
    sheet = book.sheet(
        _("Ledger"),
        headers=[_("Entry"), _("Booked on"), _("Kind"), _("Memo"), _("Debit"), _("Credit"), _("Balance")],
    )
    sheet.append(["", "", "", _("Opening balance"), None, None, opening])
    for line in lines.iterator(chunk_size=2000):
        entry = line.entry
        sheet.append(
            [entry.pk, entry.booked_on, entry.get_kind_display(), entry.memo, line.debit or None,
             line.credit or None, line.running_balance]
        )  # fmt: skip
    stamp = timezone.localdate().isoformat()
    return _response(book, f"ledger-{account.pk}-{stamp}.xlsx")


def reconciliation_xlsx(*, rec, flags) -> HttpResponse:
    """The figures, the accounts and the flags; dates in the house format of a report (2017年5月12日),
    the as-of date a date cell in its own format though it stands in the column of amounts."""
    book = xlsx.Workbook(date_format=xlsx.DATE_CN_FORMAT, mask_ids=True)
    sheet = book.sheet(_("Reconciliation"), headers=[_("Item"), _("Amount (yuan)")])
    sheet.append([_("Reconciliation of"), rec.label])
    sheet.append([_("As of"), xlsx.number(rec.as_of, xlsx.DATE_CN_FORMAT)])
    for label, value in (
        (_("Budget"), rec.budget),
        (_("Allocated"), rec.allocated),
        (_("Allocated onward"), rec.allocated_out),
        (_("Disbursed"), rec.disbursed),
        (_("Awaiting the bank"), rec.awaiting_bank),
        (_("Reversed"), rec.reversed),
        (_("Balance"), rec.balance),
        (_("Difference"), rec.difference),
    ):
        sheet.append([label, xlsx.money(value)])
    accounts = book.sheet(
        pgettext("fund account", "Accounts"),
        headers=[pgettext("fund account", "Account"), _("Kind"), _("Balance")],
    )
    for row in rec.accounts:
        accounts.append([row["account"].name, row["account"].get_kind_display(), xlsx.money(row["balance"])])
    flagged = book.sheet(
        _("Flags"), headers=[_("Flag"), _("Detail"), _("Amount (yuan)"), _("Booked on"), _("Entry")]
    )
    for flag in flags:
        flagged.append([flag.code, flag.message, xlsx.money(flag.amount), flag.booked_on, flag.entry_id])
    return _response(book, f"reconciliation-{rec.as_of.isoformat()}.xlsx")
