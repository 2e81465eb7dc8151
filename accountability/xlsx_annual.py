"""The annual assessment bulletin and the one-vote veto export as .xlsx (core.xlsx, the one writer): printed
sheets on A4 with repeated headers, as the monthly bulletin's."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import xlsx
from core.xlsx import Cell

from .models import AnnualBulletin
from .xlsx_layout import SCORE
from .xlsx_layout import printed_sheet as _sheet


def annual_bulletin_workbook(bulletin: AnnualBulletin) -> bytes:
    c = bulletin.content
    title = _("%(region)s annual effectiveness assessment %(year)s (version %(v)s)") % {
        "region": c["region"]["name"], "year": bulletin.year, "v": bulletin.version,
    }  # fmt: skip
    book = xlsx.Workbook(date_format=xlsx.DATE_CN_FORMAT, mask_ids=True)
    summary = [[g["label"], g["count"]] for g in c["grades"]]
    _sheet(book, _("Summary"), title, [pgettext("assessment", "Grade"), _("Count")], summary, widths=[20, 12])
    for key, heading in (("units", _("Units")), ("officers", _("Officers"))):
        rows = [
            [r["subject"], r["region"], Cell(Decimal(r["score"]), SCORE), r["grade_label"],
             _("yes") if r["vetoed"] else "", "；".join(r["veto_reasons"]), r["reasons"],
             "；".join(f"{i['name']}（{i['source']}）：{i['value']}" for i in r["indicators"]),
             r["appeal"]["label"] if r["appeal"] else "", "；".join(r["consequences"])]
            for r in c[key]
        ]  # fmt: skip
        headers = [_("Graded"), _("Region"), _("Mean monthly score"), pgettext("assessment", "Grade"), _("One-vote veto"),
                   _("Veto reasons"), _("Reasons"), _("Annual indicators"), _("Appeal"), _("Consequences")]  # fmt: skip
        _sheet(book, heading, title, headers, rows, widths=[22, 12, 10, 8, 8, 30, 30, 36, 10, 30])
    return book.content()


def annual_bulletin_filename(bulletin: AnnualBulletin) -> str:
    return quote(
        f"{bulletin.content['region']['name']}{bulletin.year}年度成效考核通报-v{bulletin.version}.xlsx"
    )


def veto_workbook(vetoes, *, year: int | None) -> bytes:
    """For cadre evaluation: each officer whose overall evaluation is vetoed, why, and whether it stands."""
    book = xlsx.Workbook(date_format=xlsx.DATE_CN_FORMAT, mask_ids=True)
    title = _("One-vote vetoes of overall evaluations") + (f" {year}" if year else "")
    rows = [
        [v.officer.name, v.officer.position, v.officer.unit.name, v.region.name, v.year,
         _("annual grade") if v.grade_id else _("rectification acceptance"), v.reason, v.recorded_on,
         v.lifted_on or "", v.lift_reason]
        for v in vetoes
    ]  # fmt: skip
    headers = [_("Officer"), _("Position"), _("Unit"), _("County"), _("Year"), pgettext("case", "Cause"), _("Reason"),
               _("Recorded on"), _("Lifted on"), _("Reason for lifting")]  # fmt: skip
    _sheet(book, _("Vetoes"), title, headers, rows, widths=[12, 14, 20, 12, 8, 14, 40, 14, 14, 30])
    return book.content()
