"""The bulletin workbook's sheets of the year's targets (issue 18.5) and of the recognition and
satisfaction trend (issue 19.11), from the bulletin's snapshot (`services.bulletin_targets`,
`services.bulletin_trend`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import xlsx


def _share(part, whole):
    return None if not whole else xlsx.rate(part / whole)


def targets_sheets(book: xlsx.Workbook, c: dict) -> list[list]:
    """The sheets, and the rows they add to the Data sheet (bulletins before these issues have none)."""
    from .xlsx_layout import date_value as _date
    from .xlsx_layout import printed_sheet as _sheet

    data: list[list] = []
    tg = c.get("year_targets")
    if tg and tg.get("available"):
        labels = {
            "people": _("People"),
            "households": pgettext("count", "Households"),
            "villages": _("Villages"),
        }
        headers = [_("Region")]
        for key in ("people", "households", "villages"):
            headers += [
                f"{labels[key]}: {_('Target')}",
                f"{labels[key]}: {_('Achieved')}",
                f"{labels[key]}: {_('Share')}",
            ]
        rows = []
        for r in [*tg["current"]["counties"], tg["current"]]:
            cells = [r["name"]]
            for line in r["lines"]:
                cells += [line["target"], line["achieved"], _share(line["achieved"], line["target"])]
                data.append([_("Year's targets"), r["name"], labels[line["key"]], _share(line["achieved"], line["target"]),
                             line["achieved"], line["target"]])  # fmt: skip
            rows.append(cells)
        previous = tg["previous"]
        rows.append([f"{previous['year']} {_('counted from the register')}",
                     *[v for line in previous["lines"] for v in (line["target"], line["achieved"], None)]])  # fmt: skip
        rows.append([f"{previous['year']} {_('recorded results')} {previous['recorded_source']}".strip(),
                     *[v for line in previous["lines"] for v in (None, line["recorded"], None)]])  # fmt: skip
        _sheet(book, _("Year's targets"), _("The year's targets: progress in %(y)s to %(d)s") % {"y": tg["year"],
               "d": _date(tg["until"])}, headers, rows, widths=[20] + [10] * 9)  # fmt: skip
    tr = c.get("survey_trend")
    if tr and tr.get("available"):
        headers = [_("Month"), _("Households surveyed"), _("Recognition rate"), _("Recognised"),
                   _("vs baseline (points)"), _("Satisfaction rate"), _("Satisfied"), _("vs baseline (points)")]  # fmt: skip
        rows = []
        for m in tr["months"]:
            rec, sat = m["recognition"], m["satisfaction"]
            rows.append([m["month"][:7], m["n"], _share(rec["part"], rec["whole"]), rec["part"], m["recognition_points"],
                         _share(sat["part"], sat["whole"]), sat["part"], m["satisfaction_points"]])  # fmt: skip
            data.append(
                [
                    _("Recognition rate"),
                    m["month"][:7],
                    "",
                    _share(rec["part"], rec["whole"]),
                    rec["part"],
                    rec["whole"],
                ]
            )
            data.append(
                [
                    _("Satisfaction rate"),
                    m["month"][:7],
                    "",
                    _share(sat["part"], sat["whole"]),
                    sat["part"],
                    sat["whole"],
                ]
            )
        base = tr.get("baseline")
        note = _("Baseline: %(m)s") % {"m": base["month"][:7]} if base else _("No baseline: nobody surveyed.")
        _sheet(book, _("Satisfaction trend"), _("Recognition and satisfaction, month by month"), headers, rows,
               widths=[10, 10, 10, 10, 12, 10, 10, 12], note=note)  # fmt: skip
    return data
