"""The bulletin workbook's 三个零差错 sheet (issue 19.10): the three error rates by county, from the
bulletin's snapshot (`services.bulletin_rates`), with how many households each source revealed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import xlsx


def error_rates_sheet(book: xlsx.Workbook, c: dict) -> None:
    er = c.get("error_rates")
    if not er or not er.get("available"):
        return  # bulletins generated before issue 19.10
    from .xlsx_layout import printed_sheet as _sheet
    from .xlsx_layout import rate_cells as _rate

    kinds = er["kinds"]
    headers = [_("County"), *[k["label"] for k in kinds]]
    rows = [[r["county"], *[v for k in kinds for v in _rate(r["rates"][k["code"]])]] for r in er["rows"]]
    totals = [_("Total"), *[v for k in kinds for v in _rate(er["totals"][k["code"]])]]
    sheet = _sheet(
        book, _("Error rates"), _("Zero errors: identification, exit and fund error rates"), headers, rows,
        totals=totals, widths=[14] + [10, 12] * len(kinds), pairs=len(kinds),
    )  # fmt: skip
    for k in kinds:
        found = er["totals"][k["code"]].get("sources", {})
        parts = "；".join(f"{s['label']} {found.get(s['code'], 0)}" for s in k["sources"])
        sheet.append([f"{k['label']}（{_('Revealed by')}）：{parts}"])
