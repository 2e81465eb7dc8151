"""The bulletin workbook's sheet of first secretaries found absent in spot checks (issue 19.4), from the
bulletin's snapshot (`services.bulletin_absences`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import xlsx


def absences_sheet(book: xlsx.Workbook, c: dict) -> list[list]:
    """The sheet, and the rows it adds to the Data sheet."""
    a = c.get("absences")
    if not a or not a.get("available"):
        return []  # bulletins generated before the section existed
    from .xlsx_layout import date_value as _date
    from .xlsx_layout import printed_sheet as _sheet

    headers = [_("Checked on"), _("County"), _("Village"), _("Team"), _("First secretary"), _("Rectification"),
               pgettext("rectification", "Deadline")]  # fmt: skip
    rows = [
        [_date(r["checked_on"]), r["county"], r["village"], r["team"], r["secretary"], r["item_status"],
         _date(r["deadline"])]
        for r in a["rows"]
    ]  # fmt: skip
    _sheet(book, _("Absences"), _("First secretaries absent in spot checks"), headers, rows,
           widths=[14, 12, 18, 22, 14, 16, 14])  # fmt: skip
    return [[_("Absences"), r["village"], r["secretary"], _date(r["checked_on"])] for r in a["rows"]]
