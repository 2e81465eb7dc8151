"""The monthly bulletin as .xlsx (core.xlsx): sheets laid out for printing on A4, plus a data sheet.

Each printed sheet has a merged title row, a note row and a header row repeated on every page;
dates are dates (shown 2017年5月12日), scores numbers, rates percentages. The "Data" sheet holds
the same figures with one header row and one figure per row, for machines. Text that a
spreadsheet could run as a formula stays text (the core writer's rule); ID numbers typed into
text are masked (core.pii): a file travels further than a page.
"""

from __future__ import annotations

from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import xlsx
from core.xlsx import Cell

from .models import Bulletin
from .xlsx_absences import absences_sheet
from .xlsx_layout import MONTH
from .xlsx_layout import date_value as _date
from .xlsx_layout import printed_sheet as _sheet
from .xlsx_layout import rate_cells as _rate
from .xlsx_layout import score_cell as _score
from .xlsx_rates import error_rates_sheet
from .xlsx_supervision import supervision_sheets
from .xlsx_targets import targets_sheets
from .xlsx_villages import villages_sheets


def bulletin_workbook(bulletin: Bulletin) -> bytes:
    c = bulletin.content
    month = bulletin.month
    title = _("%(region)s monthly bulletin %(year)s-%(month)02d (version %(v)s)") % {
        "region": c["region"]["name"], "year": month.year, "month": month.month, "v": bulletin.version,
    }  # fmt: skip
    book = xlsx.Workbook(date_format=xlsx.DATE_CN_FORMAT, mask_ids=True)
    data: list[list] = []  # the Data sheet: table, region or subject, item, value, part, whole

    cases = c["cases"]
    summary = [
        [_("Month"), Cell(month, MONTH)],
        [_("Version"), bulletin.version],
        [_("Generated at"), timezone.localtime(bulletin.generated_at).date()],
        [_("New findings"), c["findings"].get("total", _("not available"))],
        [
            _("Rectification items overdue"),
            c["rectifications"].get("totals", {}).get("overdue", _("not available")),
        ],
        [_("Cases opened"), cases["totals"]["opened"]],
        [_("Cases closed"), cases["totals"]["closed"]],
        [
            _("Proposed cases past their decision deadline"),
            cases["totals"].get("overdue_proposed", _("not available")),
        ],
    ]
    if (sup := c.get("supervision")) and sup.get("available"):
        summary += [
            [_("Supervision groups without a covert visit this month"), len(sup["missed_visits"])],
            [_("Problem lists answered late or still owed"), len(sup["late_answers"])],
        ]
    _sheet(book, _("Summary"), title, [_("Item"), _("Value")], summary, widths=[28, 30])

    f = c["findings"]
    if f.get("available"):
        headers = [_("County"), *[k["label"] for k in f["categories"]], _("Total")]
        rows = [
            [r["county"], *[r["counts"][k["code"]] for k in f["categories"]], r["total"]] for r in f["rows"]
        ]
        totals = [_("Total"), *[f["totals"][k["code"]] for k in f["categories"]], f["total"]]
        _sheet(book, pgettext("bulletin sheet", "Findings"), _("New findings by county and category"), headers, rows, totals=totals,
               widths=[14] + [10] * len(f["categories"]) + [10])  # fmt: skip
        for r in f["rows"]:
            data += [
                [pgettext("bulletin sheet", "Findings"), r["county"], k["label"], r["counts"][k["code"]]]
                for k in f["categories"]
            ]
    else:
        _sheet(book, pgettext("bulletin sheet", "Findings"), _("New findings by county and category"), [_("Note")],
               [[f.get("note", "")]], widths=[60])  # fmt: skip

    rc = c["rectifications"]
    if rc.get("available"):
        keys = ["total", "closed", "closed_in_month", "open", "overdue"]
        headers = [
            _("County"),
            _("Items"),
            _("Closed"),
            _("Closed this month"),
            pgettext("rectification", "Open"),
            _("Overdue"),
        ]
        rows = [[r["county"], *[r[k] for k in keys]] for r in rc["rows"]]
        _sheet(book, _("Rectification"), _("Rectification progress"), headers, rows,
               totals=[_("Total"), *[rc["totals"][k] for k in keys]], widths=[16, 10, 10, 12, 10, 10])  # fmt: skip
        for r in rc["rows"]:
            data += [
                [_("Rectification"), r["county"], label, r[k]]
                for k, label in zip(keys, headers[1:], strict=True)
            ]
        headers = [_("County"), _("Place"), _("Responsible unit"), _("Rectification required"), pgettext("rectification", "Deadline"),
                   _("Status")]  # fmt: skip
        rows = [[i["county"], i["region"], i["unit"], i["description"], _date(i["deadline"]), i["status"]]
                for i in rc["overdue_items"]]  # fmt: skip
        _sheet(book, _("Overdue items"), _("Overdue rectification items"), headers, rows,
               widths=[12, 14, 22, 44, 14, 12])  # fmt: skip
    else:
        _sheet(book, _("Rectification"), _("Rectification progress"), [_("Note")], [[rc.get("note", "")]],
               widths=[60])  # fmt: skip

    sc = c["scores"]
    headers = [
        _("Rank"),
        _("Scored"),
        _("Region"),
        _("Score"),
        pgettext("assessment", "Grade"),
        _("One-vote veto"),
    ]
    scored = [*sc.get("units", []), *sc.get("officers", [])]
    rows = [[s["rank"], s["subject"], s["region"], _score(s["score"]), s["grade_label"], "; ".join(s["veto_reasons"])]
            for s in scored]  # fmt: skip
    _sheet(book, _("Ranking"), _("Scores and ranking"), headers, rows, widths=[8, 30, 14, 10, 10, 30],
           note="" if sc.get("available") else sc.get("note", ""))  # fmt: skip
    data += [[_("Ranking"), s["subject"], _("Score"), _score(s["score"])] for s in scored]

    headers = [_("Type"), _("Opened"), _("Closed")]
    rows = [[t["label"], t["opened"], t["closed"]] for t in cases["by_type"]]
    _sheet(book, _("Accountability"), _("Accountability cases opened and closed"), headers, rows,
           totals=[_("Total"), cases["totals"]["opened"], cases["totals"]["closed"]], widths=[20, 10, 10])  # fmt: skip
    for t in cases["by_type"]:
        data += [[_("Accountability"), "", f"{t['label']}: {_('Opened')}", t["opened"]],
                 [_("Accountability"), "", f"{t['label']}: {_('Closed')}", t["closed"]]]  # fmt: skip
    headers = [_("Opened on"), _("Type"), _("Held accountable"), _("Region"), _("Opened by"), _("Status"),
               _("Grounds")]  # fmt: skip
    rows = [[_date(r["opened_on"]), r["type_label"], r["subject"], r["region"], r["rule"], r["status"], r["grounds"]]
            for r in cases["opened"]]  # fmt: skip
    _sheet(
        book,
        _("Cases opened"),
        _("Cases opened this month"),
        headers,
        rows,
        widths=[14, 12, 24, 12, 18, 10, 50],
    )

    error_rates_sheet(book, c)
    data += villages_sheets(book, c)
    data += absences_sheet(book, c)
    data += supervision_sheets(book, c)
    data += targets_sheets(book, c)
    data += _sixones_data(c)
    # The machines' sheet sits before the issue-11 sheets, which stay the workbook's last two.
    sheet = book.sheet(
        _("Data"), headers=[_("Table"), _("Region"), _("Item"), _("Value"), _("Part"), _("Whole")],
        widths=[16, 24, 30, 12, 10, 10],
    )  # fmt: skip
    sheet.extend(data)
    _sixones_sheets(book, c)
    return book.content()


def _sixones_data(c: dict) -> list[list]:
    out = []
    six = c.get("sixones")
    if six and six.get("available"):
        for x in six["lines"]:
            for county, r in zip(six["counties"], x["counties"], strict=True):
                out.append([_("Six ones"), county["name"], x["label"], *_typed_rate(r)])
            out.append([_("Six ones"), _("Total"), x["label"], *_typed_rate(x["total"])])
    tg = c.get("targets")
    if tg and tg.get("available"):
        for r in tg["rows"]:
            out += [[_("Three targets"), r["county"], t["label"], *_typed_rate(r["rates"][t["code"]])]
                    for t in tg["targets"]]  # fmt: skip
        out += [[_("Three targets"), _("Total"), t["label"], *_typed_rate(tg["totals"][t["code"]])]
                for t in tg["targets"]]  # fmt: skip
    return out


def _typed_rate(rate: dict) -> list:
    return [None if rate.get("rate") is None else xlsx.rate(rate["rate"]), rate["part"], rate["whole"]]


def _sixones_sheets(book: xlsx.Workbook, c: dict) -> None:
    """六个一 board and the three targets (bulletins generated before issue 11 have neither)."""
    six = c.get("sixones")
    if six and six.get("available"):
        headers = [_("Line"), _("What is counted"), *[x["name"] for x in six["counties"]], _("Total")]
        rows = [
            [x["label"], x["measure"], *[v for r in x["counties"] for v in _rate(r)], *_rate(x["total"])]
            for x in six["lines"]
        ]
        _sheet(book, _("Six ones"), _("The six ones: measured progress by county (%(year)s)") % {"year": six["year"]},
               headers, rows, widths=[22, 30] + [8, 9] * (len(six["counties"]) + 1),
               pairs=len(six["counties"]) + 1)  # fmt: skip
    tg = c.get("targets")
    if tg and tg.get("available"):
        headers = [_("County"), *[t["label"] for t in tg["targets"]]]
        rows = [
            [r["county"], *[v for t in tg["targets"] for v in _rate(r["rates"][t["code"]])]]
            for r in tg["rows"]
        ]
        totals = [_("Total"), *[v for t in tg["targets"] for v in _rate(tg["totals"][t["code"]])]]
        _sheet(book, _("Three targets"), _("The three targets for the month, by county"), headers, rows,
               totals=totals, widths=[14] + [9, 10] * len(tg["targets"]), pairs=len(tg["targets"]))  # fmt: skip


def bulletin_filename(bulletin: Bulletin) -> str:
    name = f"一月一通报-{bulletin.month:%Y-%m}-v{bulletin.version}.xlsx"
    return quote(name)
