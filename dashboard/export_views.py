"""Every drill-down row list of the dashboard as an .xlsx (issue 21): exactly the rows the list shows —
all its pages, the same figure, key, year or month, the same scope — through the one workbook writer
(core.xlsx). Each export reads the list's own query and the list's own cells, never a copy of them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from accountability.selectors import sixones
from core import xlsx
from core.db_replicas import replica_reads
from core.web import PageMixin

from . import board, selectors, targets
from .board_views import _month, _year
from .figures import BY_NAME
from .target_views import year_of
from .views import generic_rows, key_labels

CHUNK = 2000  # rows read per round trip: the lists can hold a county's households


def _chunks(qs) -> Iterator[list]:
    rows = qs.iterator(chunk_size=CHUNK)
    while batch := list(islice(rows, CHUNK)):
        yield batch


def _book(title: str, headers: list, rows: Iterable[Iterable], filename: str):
    book = xlsx.Workbook(mask_ids=True)  # free text (a finding, a memo) may hold an ID number
    sheet = book.sheet(title, headers=headers)
    sheet.extend(rows)
    return book.response(f"{filename}-{timezone.localdate():%Y%m%d}.xlsx")


def figure_table(kind: str, qs) -> tuple[list, Iterator[list]]:
    """The columns of a figure's rows page (dashboard/rows_*.html) and every row of `qs` in them."""
    if kind == "household":
        headers = [_("File number"), _("Head of household"), _("Village"), _("Status"), _("Main cause"),
                   _("Members")]  # fmt: skip

        def cells(batch):
            return ([h.file_number, h.head_name, h.village.name, str(h.get_status_display()),
                     str(h.get_main_cause_display()), h.member_count] for h in batch)  # fmt: skip
    elif kind == "member":
        headers = [_("Name"), _("ID number"), _("Household"), _("Village")]

        def cells(batch):
            return (
                [m.name, m.id_number_masked, m.household.file_number, m.household.village.name] for m in batch
            )
    elif kind == "village":
        headers = [_("Village"), _("Code"), _("Identified in"), _("Exit year")]

        def cells(batch):
            return ([v.village.name, v.village_id, v.identified_year, v.exit_year] for v in batch)
    else:  # the other apps' rows: the page's own cells, without their links
        headers = generic_rows(kind, [])[0]

        def cells(batch):
            return ([text for text, _link in row] for row in generic_rows(kind, batch)[1])

    return headers, (row for batch in _chunks(qs) for row in cells(batch))


@replica_reads
class FigureRowsExportView(PageMixin, View):
    permission_required = "dashboard.view_dashboard"

    def get(self, request, code: str, metric: str):
        key = request.GET.get("key", "")
        qs = selectors.figure_rows(actor=request.user, region_code=code, metric=metric, key=key)
        region = selectors.region_for(actor=request.user, region_code=code)
        headers, rows = figure_table(selectors.ROW_METRICS[metric], qs)
        label = str(BY_NAME[metric].label)
        if key:
            label = f"{label} · {key_labels(metric).get(key, key)}"
        return _book(label, headers, rows, f"{region.name}-{label}")


@replica_reads
class BoardRowsExportView(PageMixin, View):
    permission_required = "dashboard.view_dashboard"

    def get(self, request, code: str, line: str):
        year = _year(request)
        county, line_def, qs = board.line_rows(
            actor=request.user, county_code=code, line_code=line, year=year
        )
        qs = board._select(line_def, qs)
        headers = [*board.line_cells(line_def, [])[0], _("Counted as done")]

        def rows():
            for batch in _chunks(qs):
                _headers, cells = board.line_cells(line_def, batch)
                for obj, row in zip(batch, cells, strict=True):
                    yield [*row, _("done") if obj.done else _("not yet")]

        return _book(str(line_def.label), headers, rows(), f"{county.name}-{line_def.label}-{year}")


class BoardTargetRowsExportView(PageMixin, View):
    permission_required = "dashboard.view_dashboard"

    def get(self, request, code: str, target: str):
        month = _month(request)
        d = board.target_rows(actor=request.user, county_code=code, target=target, month=month)
        label = str({k: v for k, v, _b in sixones.TARGETS}[target])
        if d["kind"] == "errors":
            headers = [_("First revealed"), _("Household, finding or payment"), _("Place"), _("Revealed by")]
            rows = ([e.first_on, _error_what(e), _error_place(e),
                     "；".join(str(d["sources"].get(s, s)) for s in e.sources)] for e in d["errors"])  # fmt: skip
        else:
            headers = [
                pgettext("date", "Answered"),
                _("Household"),
                _("Village"),
                _("Recognises"),
                _("Satisfaction"),
            ]
            rows = ([s.answered_on, s.household.head_name, s.village.name, _("yes") if s.recognises else _("no"),
                     str(s.get_satisfaction_display())] for s in d["surveys"])  # fmt: skip
        return _book(label, headers, rows, f"{d['county'].name}-{label}-{month:%Y%m}")


def _local_date(at):
    return timezone.localtime(at).date() if at else None


def _error_what(e) -> str:
    if e.household:
        return f"{e.household.head_name}（{e.household.file_number}）"
    if e.finding:
        return e.finding.description
    if e.request:
        return f"{e.request.payee_name} {e.request.amount:,.2f}"
    return ""


def _error_place(e) -> str:
    if e.household:
        return e.household.village.name
    if e.finding:
        return e.finding.region.name
    return str(e.region or "")


class TargetRowsExportView(PageMixin, View):
    permission_required = "dashboard.view_dashboard"

    def get(self, request, code: str, kind: str):
        year = year_of(request)
        region, qs = targets.target_rows(actor=request.user, region_code=code, kind=kind, year=year)
        if kind == "villages":
            title = _("Poor villages exited")
            headers, cells = figure_table("village", qs)
        else:
            title = _("Households whose exit was completed")
            headers = [_("File number"), _("Head of household"), _("Village"), _("Exit completed"),
                       _("Status today"), _("Members")]  # fmt: skip
            cells = ([h.file_number, h.head_name, h.village.name, _local_date(h.exited_at), str(h.get_status_display()),
                      h.member_count] for batch in _chunks(qs) for h in batch)  # fmt: skip
        return _book(str(title), headers, cells, f"{region.name}-{title}-{year}")
