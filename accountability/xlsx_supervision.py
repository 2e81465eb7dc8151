"""The bulletin workbook's sheets of 一月一暗访 and problem-list answers (issue 19.5, 19.6): supervision
groups that ended the month without a filed covert visit, and recipients whose answers were late or
are still owed — from the bulletin's snapshot (`services.bulletin.supervision_section`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import xlsx

from .xlsx_layout import MONTH
from .xlsx_layout import date_value as _date
from .xlsx_layout import printed_sheet as _sheet


def supervision_sheets(book: xlsx.Workbook, c: dict) -> list[list]:
    """The two sheets, and the rows they add to the Data sheet."""
    s = c.get("supervision")
    if not s or not s.get("available"):
        return []  # bulletins generated before the section existed
    missed = [
        [m["group"], xlsx.Cell(_date(m["month"]), MONTH), _date(m["flagged_on"])] for m in s["missed_visits"]
    ]
    _sheet(book, _("Missed visits"), _("Supervision groups without a covert visit this month"),
           [_("Supervision group"), _("Month"), _("Flagged on")], missed, widths=[30, 14, 16],
           note="" if missed else _("Every supervision group filed a covert visit this month."))  # fmt: skip
    late = [
        [
            r["unit"],
            r.get("region_name") or r["region"],
            r["list"],
            _date(r["deadline"]),
            r["owed"],
            r["late"],
        ]
        for r in s["late_answers"]
    ]
    _sheet(book, _("Late answers"), _("Problem lists answered late or still owed"),
           [_("Unit"), _("Region"), _("Problem list"), _("Answer deadline"), _("Answers owed"), _("Answered late")],
           late, widths=[24, 14, 30, 14, 10, 10],
           note="" if late else _("Every problem list sent was answered by its deadline."))  # fmt: skip
    data = [[_("Missed visits"), m["group"], _("Month"), _date(m["month"])] for m in s["missed_visits"]]
    for r in s["late_answers"]:
        place = r.get("region_name") or r["region"]
        data += [[_("Late answers"), f"{place} {r['unit']}", _("Answers owed"), r["owed"]],
                 [_("Late answers"), f"{place} {r['unit']}", _("Answered late"), r["late"]]]  # fmt: skip
    return data
