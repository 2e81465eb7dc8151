"""The 六个一 board and the three targets for leaders: reads only, scoped, computed live.

The definitions live in `accountability.selectors.sixones` (the monthly bulletin reads the same);
here they are scoped to the actor and turned into page rows. Every figure is a count of the rows
its drill-down shows. At city scale the board is 7 aggregated queries + 6 for the targets.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.selectors import sixones
from core.models import Region
from inspections import error_rates
from inspections import targets as inspection_targets
from inspections.targets import month_bounds

from .selectors import region_for


def board_for(*, actor, region_code: str | None, year: int | None = None) -> dict:
    region = region_for(actor=actor, region_code=region_code)
    if region.level not in ("city", "county", "province"):
        raise Http404
    year = year or timezone.localdate().year
    data = sixones.board(prefix=region.prefix, year=year)
    data["region"] = region
    return data


def targets_for(*, actor, region_code: str | None, month: dt.date) -> dict:
    region = region_for(actor=actor, region_code=region_code)
    data = sixones.three_targets(prefix=region.prefix, month=month)
    data["region"] = region
    return data


def _county(actor, code: str) -> Region:
    region = region_for(actor=actor, region_code=code)
    if region.level != "county":
        raise Http404
    return region


def line_rows(*, actor, county_code: str, line_code: str, year: int):
    """The rows behind one county's figure on one line (404 outside the actor's region)."""
    line = sixones.LINE_BY_CODE.get(line_code)
    if line is None:
        raise Http404
    county = _county(actor, county_code)
    # The figure counts the county's rows; the page shows those in the reader's scope.
    return county, line, sixones.line_rows(line, county_code=county.code, year=year, actor=actor)


def line_cells(line, rows) -> tuple[list[str], list[list[str]]]:
    """Headers and cells for a page of a line's rows; the last column says whether it counts."""
    kind = line.row_kind
    if kind == "village":
        headers = [_("Village"), _("Code")]
        cells = [[r.name, r.code] for r in rows]
    elif kind == "household":
        headers = [_("Household"), _("File number"), _("Village")]
        cells = [[r.head_name, r.file_number, r.village_id] for r in rows]
    elif kind == "measure":
        headers = [_("Measure"), _("Planned completion"), _("Actual completion"), _("Status")]
        cells = [[r.title, f"{r.planned_end:%Y-%m-%d}", f"{r.actual_end:%Y-%m-%d}" if r.actual_end else "—",
                  r.get_status_display()] for r in rows]  # fmt: skip
    elif kind == "request":
        headers = [_("Requested"), _("Payee"), _("Amount (yuan)"), _("Status")]
        cells = [[f"{timezone.localtime(r.created_at):%Y-%m-%d}", r.payee_name, f"{r.amount:,.2f}",
                  r.get_status_display()] for r in rows]  # fmt: skip
    elif kind == "policy_task":
        headers = [_("Policy"), _("Recipient"), _("Deadline"), _("Status")]
        cells = [
            [str(r.policy), r.recipient.name, f"{r.deadline:%Y-%m-%d}", r.get_status_display()] for r in rows
        ]
    else:  # unit
        headers = [_("Unit"), _("Kind")]
        cells = [[r.name, r.get_kind_display()] for r in rows]
    return headers, cells


def _select(line, qs):
    related = {"household": ["village"], "policy_task": ["policy", "recipient"]}.get(line.row_kind)
    return qs.select_related(*related) if related else qs


TARGET_CODES = {code for code, _label, _better in sixones.TARGETS}


def target_rows(*, actor, county_code: str, target: str, month: dt.date) -> dict:
    """The rows behind one county's target figure: the counted part and the whole it is over."""
    if target not in TARGET_CODES:
        raise Http404
    county = _county(actor, county_code)
    prefix = county.prefix
    if target in error_rates.KINDS:
        start, end = month_bounds(month)
        rows = error_rates.error_rows(kind=target, prefix=prefix, start=start, end=end, actor=actor)
        return {
            "county": county, "kind": "errors", "errors": rows, "sources": error_rates.source_labels(target),
            "whole_label": error_rates.WHOLE_LABELS[target],
            "whole": error_rates.whole_rows(kind=target, prefix=prefix, start=start, end=end, actor=actor).count(),
        }  # fmt: skip
    surveys = inspection_targets.surveys_counted(prefix=prefix, actor=actor, month=month).select_related(
        "household", "village"
    )
    return {"county": county, "kind": target, "surveys": list(surveys.order_by("answered_on", "id"))}
