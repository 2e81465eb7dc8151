"""The monthly bulletin as .xlsx (openpyxl), laid out for printing on A4.

Every text cell that a spreadsheet could read as a formula (=, +, -, @, tab, CR) is escaped with
a leading apostrophe and stored as text: names and descriptions come from users.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from urllib.parse import quote

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.pii import mask_id_numbers

from .models import Bulletin

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
THIN = Side(style="thin", color="888888")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT = "SimSun"


def safe(value):
    """Text that could start a formula is prefixed with an apostrophe; numbers pass through; ID
    numbers typed into text are masked (core.pii): a file travels further than a page."""
    if isinstance(value, str):
        value = mask_id_numbers(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _date(value: str) -> str:
    try:
        d = dt.date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return value or ""
    return f"{d.year}年{d.month}月{d.day}日"


def _sheet(wb: Workbook, title: str, heading: str, headers: list[str], rows: list[list], *,
           totals: list | None = None, widths: list[int] | None = None, note: str = "") -> Worksheet:  # fmt: skip
    ws = wb.create_sheet(title=title[:31])
    ncols = max(len(headers), 1)
    ws.cell(row=1, column=1, value=safe(heading)).font = Font(name=FONT, bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    header_row = 3
    if note:
        ws.cell(row=2, column=1, value=safe(note)).font = Font(name=FONT, italic=True, color="666666")
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=col, value=safe(text))
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    r = header_row
    for r, values in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=safe(value))
            cell.border = BORDER
            cell.font = Font(name=FONT)
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str) and len(value) > 12)
            if isinstance(value, str):
                cell.data_type = "s"
    if totals is not None:
        r += 1
        for col, value in enumerate(totals, start=1):
            cell = ws.cell(row=r, column=col, value=safe(value))
            cell.font = Font(name=FONT, bold=True)
            cell.fill = TOTAL_FILL
            cell.border = BORDER
    for col, width in enumerate(widths or [14] * ncols, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    # Printing: A4, headers repeated on each page, fit to one page wide, header frozen on screen.
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if ncols > 6 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&P / &N"
    return ws


def bulletin_workbook(bulletin: Bulletin) -> bytes:
    c = bulletin.content
    month = bulletin.month
    title = _("%(region)s monthly bulletin %(year)s-%(month)02d (version %(v)s)") % {
        "region": c["region"]["name"], "year": month.year, "month": month.month, "v": bulletin.version,
    }  # fmt: skip
    wb = Workbook()
    wb.remove(wb.active)

    cases = c["cases"]
    summary = [
        [_("Month"), f"{month.year}年{month.month}月"],
        [_("Version"), bulletin.version],
        [_("Generated at"), _date(bulletin.generated_at.isoformat())],
        [_("New findings"), c["findings"].get("total", _("not available"))],
        [
            _("Rectification items overdue"),
            c["rectifications"].get("totals", {}).get("overdue", _("not available")),
        ],
        [_("Cases opened"), cases["totals"]["opened"]],
        [_("Cases closed"), cases["totals"]["closed"]],
    ]
    _sheet(wb, _("Summary"), title, [_("Item"), _("Value")], summary, widths=[28, 30])

    f = c["findings"]
    if f.get("available"):
        headers = [_("County"), *[k["label"] for k in f["categories"]], _("Total")]
        rows = [
            [r["county"], *[r["counts"][k["code"]] for k in f["categories"]], r["total"]] for r in f["rows"]
        ]
        totals = [_("Total"), *[f["totals"][k["code"]] for k in f["categories"]], f["total"]]
        _sheet(wb, _("Findings"), _("New findings by county and category"), headers, rows, totals=totals,
               widths=[14] + [10] * len(f["categories"]) + [10])  # fmt: skip
    else:
        _sheet(
            wb,
            _("Findings"),
            _("New findings by county and category"),
            [_("Note")],
            [[f.get("note", "")]],
            widths=[60],
        )

    rc = c["rectifications"]
    if rc.get("available"):
        keys = ["total", "closed", "closed_in_month", "open", "overdue"]
        headers = [_("County"), _("Items"), _("Closed"), _("Closed this month"), _("Open"), _("Overdue")]
        rows = [[r["county"], *[r[k] for k in keys]] for r in rc["rows"]]
        _sheet(wb, _("Rectification"), _("Rectification progress"), headers, rows,
               totals=[_("Total"), *[rc["totals"][k] for k in keys]], widths=[16, 10, 10, 12, 10, 10])  # fmt: skip
        headers = [
            _("County"),
            _("Place"),
            _("Responsible unit"),
            _("Rectification required"),
            _("Deadline"),
            _("Status"),
        ]
        rows = [[i["county"], i["region"], i["unit"], i["description"], _date(i["deadline"]), i["status"]]
                for i in rc["overdue_items"]]  # fmt: skip
        _sheet(
            wb,
            _("Overdue items"),
            _("Overdue rectification items"),
            headers,
            rows,
            widths=[12, 14, 22, 44, 14, 12],
        )
    else:
        _sheet(
            wb,
            _("Rectification"),
            _("Rectification progress"),
            [_("Note")],
            [[rc.get("note", "")]],
            widths=[60],
        )

    sc = c["scores"]
    headers = [_("Rank"), _("Scored"), _("Region"), _("Score"), _("Grade"), _("One-vote veto")]
    rows = [[s["rank"], s["subject"], s["region"], float(s["score"]), s["grade_label"], "; ".join(s["veto_reasons"])]
            for s in [*sc.get("units", []), *sc.get("officers", [])]]  # fmt: skip
    ws = _sheet(wb, _("Ranking"), _("Scores and ranking"), headers, rows, widths=[8, 30, 14, 10, 10, 30],
                note="" if sc.get("available") else sc.get("note", ""))  # fmt: skip
    for row in ws.iter_rows(min_row=4, min_col=4, max_col=4):
        for cell in row:
            cell.number_format = "0.00"

    headers = [_("Type"), _("Opened"), _("Closed")]
    rows = [[t["label"], t["opened"], t["closed"]] for t in cases["by_type"]]
    _sheet(wb, _("Accountability"), _("Accountability cases opened and closed"), headers, rows,
           totals=[_("Total"), cases["totals"]["opened"], cases["totals"]["closed"]], widths=[20, 10, 10])  # fmt: skip
    headers = [
        _("Opened on"),
        _("Type"),
        _("Held accountable"),
        _("Region"),
        _("Opened by"),
        _("Status"),
        _("Grounds"),
    ]
    rows = [[_date(r["opened_on"]), r["type_label"], r["subject"], r["region"], r["rule"], r["status"], r["grounds"]]
            for r in cases["opened"]]  # fmt: skip
    _sheet(
        wb,
        _("Cases opened"),
        _("Cases opened this month"),
        headers,
        rows,
        widths=[14, 12, 24, 12, 18, 10, 50],
    )

    _sixones_sheets(wb, c)

    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _pct(rate: dict) -> str:
    return "—" if rate.get("rate") is None else f"{rate['rate'] * 100:.1f}%"


def _sixones_sheets(wb: Workbook, c: dict) -> None:
    """六个一 board and the three targets (bulletins generated before issue 11 have neither)."""
    six = c.get("sixones")
    if six and six.get("available"):
        headers = [_("Line"), _("What is counted"), *[x["name"] for x in six["counties"]], _("Total")]
        rows = [
            [x["label"], x["measure"],
             *[f"{_pct(r)} ({r['part']}/{r['whole']})" for r in x["counties"]],
             f"{_pct(x['total'])} ({x['total']['part']}/{x['total']['whole']})"]
            for x in six["lines"]
        ]  # fmt: skip
        _sheet(wb, _("Six ones"), _("The six ones: measured progress by county (%(year)s)") % {"year": six["year"]},
               headers, rows, widths=[22, 30] + [14] * (len(six["counties"]) + 1))  # fmt: skip
    tg = c.get("targets")
    if tg and tg.get("available"):
        headers = [_("County"), *[f"{t['label']} (n)" for t in tg["targets"]]]
        rows = [
            [r["county"], *[f"{_pct(r['rates'][t['code']])} ({r['rates'][t['code']]['part']}/{r['rates'][t['code']]['whole']})"
                            for t in tg["targets"]]]
            for r in tg["rows"]
        ]  # fmt: skip
        totals = [_("Total"), *[f"{_pct(tg['totals'][t['code']])} ({tg['totals'][t['code']]['part']}/"
                                f"{tg['totals'][t['code']]['whole']})" for t in tg["targets"]]]  # fmt: skip
        _sheet(wb, _("Three targets"), _("The three targets for the month, by county"), headers, rows,
               totals=totals, widths=[14] + [18] * len(tg["targets"]))  # fmt: skip


def bulletin_filename(bulletin: Bulletin) -> str:
    name = f"一月一通报-{bulletin.month:%Y-%m}-v{bulletin.version}.xlsx"
    return quote(name)
