"""The bulletin workbook's 贫困村退出 sheets (issue 18.4): the villages by county and those that exited in
the month, from the bulletin's snapshot (`services.bulletin_villages`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import xlsx


def villages_sheets(book: xlsx.Workbook, c: dict) -> list[list]:
    """The sheets, and the rows they add to the Data sheet."""
    v = c.get("villages")
    if not v or not v.get("available"):
        return []  # bulletins generated before issue 18.4
    from .xlsx_layout import date_value as _date
    from .xlsx_layout import printed_sheet as _sheet

    keys = ["poor", "exited", "exited_year", "exited_month", "in_progress"]
    headers = [
        _("County"), _("Still poor"), _("Exited"), _("Exited in %(y)s") % {"y": v["year"]}, _("Exited this month"),
        _("Exit in progress"),
    ]  # fmt: skip
    rows = [[r["county"], *[r[k] for k in keys]] for r in v["rows"]]
    _sheet(book, _("Poor villages"), _("Poor villages exiting"), headers, rows,
           totals=[_("Total"), *[v["totals"][k] for k in keys]], widths=[16, 10, 10, 12, 12, 12])  # fmt: skip
    rows = [[e["county"], e["township"], e["village"], _date(e["on"])] for e in v["exited"]]
    _sheet(book, _("Villages exited"), _("Villages that exited this month"),
           [_("County"), _("Township"), _("Village"), _("Approved on")], rows, widths=[14, 18, 18, 14])  # fmt: skip
    return [
        [_("Poor villages"), r["county"], label, r[k]]
        for r in v["rows"]
        for k, label in zip(keys, headers[1:], strict=True)
    ]
