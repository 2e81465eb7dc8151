"""The workbooks the households app hands out: the import template and the export of a household list."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core import pii, xlsx
from households import imports as package  # its tunables, read at call time (tests lower them there)

from ..models import (
    Disability,
    Education,
    Health,
    HouseholdAttribute,
    HouseholdStatus,
    Income,
    LabourAbility,
    Member,
    PovertyCause,
    Relation,
    Schooling,
    choice_labels,
)
from .columns import COLUMNS, EXAMPLE_MARK

# Columns whose values are digits that are not numbers: ID number, phone, file number, village code.
TEXT_KEYS = ("id_number", "phone", "file_number", "village")
# The template's example household: its file number is the mark the import skips (reader.RowReader),
# its ID numbers the specimen of GB 11643 (a 北京 number, valid, of no household here).
EXAMPLE_STYLE = xlsx.Style(italic=True, color="808080", fill="FFF2CC")


def _example_rows() -> list[dict]:
    household = {
        "file_number": str(EXAMPLE_MARK), "village": "410821100201", "address": "一组12号",
        "phone": "13800000000", "attribute": HouseholdAttribute.GENERAL.label, "identified_year": 2016,
        "main_cause": PovertyCause.ILLNESS.label,
        "secondary_causes": "、".join(str(c.label) for c in (PovertyCause.LACK_FUNDS, PovertyCause.LACK_SKILLS)),
        "income_year": 2016, "per_capita_net_income": 3000,
    }  # fmt: skip
    head = {
        **household, "name": "张三", "id_number": "11010519491231002X", "relation": Relation.HEAD.label,
        "health": Health.CHRONIC.label, "disability": Disability.NONE.label, "education": Education.PRIMARY.label,
        "schooling": Schooling.NOT_IN_SCHOOL.label, "labour_ability": LabourAbility.WEAK.label,
        "migrant_worker": False, "migrant_months": 0,
    }  # fmt: skip
    spouse = {
        "file_number": str(EXAMPLE_MARK), "name": "李四", "id_number": "110105195001010020",
        "relation": Relation.SPOUSE.label, "health": Health.HEALTHY.label, "disability": Disability.NONE.label,
        "education": Education.JUNIOR.label, "schooling": Schooling.NOT_IN_SCHOOL.label,
        "labour_ability": LabourAbility.ORDINARY.label, "migrant_worker": True, "migrant_months": 6,
    }  # fmt: skip
    return [head, spouse]


def template_workbook() -> bytes:
    """The downloadable template: headers, one example household, drop-down lists for coded columns.

    The example household (rows 2 and 3, shaded) has the file number 示例: the import skips its rows
    and says so, so a template imported as downloaded creates no household; a note beside it says
    this. Typing over it (a real file number) makes it a household like any other."""
    book = xlsx.Workbook()
    sheet = book.sheet(_("Households"), headers=[str(label) for _k, label, _kind in COLUMNS])
    lists = book.sheet(_("Allowed values"))
    widths = [16] * len(COLUMNS)
    widths[16] = 22  # the ID number
    sheet.column_widths(widths)
    # Typed as text: 18 digits typed into a number column lose their last three.
    keys = [k for k, _label, _kind in COLUMNS]
    sheet.text_columns(keys.index(k) + 1 for k in TEXT_KEYS if k in keys)
    yes, no = ("是", "否") if translation.get_language().startswith("zh") else (_("yes"), _("no"))
    note = _(
        "Rows 2–3 are an example household: rows whose file number is “%(mark)s” are skipped by the "
        "import. Type over them or below them."
    ) % {"mark": EXAMPLE_MARK}
    for index, example in enumerate(_example_rows()):
        cells = []
        for key in keys:
            value = example.get(key)
            if isinstance(value, bool):
                value = yes if value else no
            text = xlsx.Style(num_format="@") if key in TEXT_KEYS else None
            cells.append(xlsx.Cell(str(value) if text and value is not None else value, EXAMPLE_STYLE | text))
        sheet.append([*cells, None, note if index == 0 else None])
    columns: list[list[str]] = []  # the lists, column by column
    for index, (key, label, kind) in enumerate(COLUMNS, start=1):
        if kind is None:
            continue
        values = [yes, no] if kind is bool else [str(lbl) for _v, lbl in kind.choices]
        columns.append([str(label), *values])
        if key != "secondary_causes":
            letter, list_letter = xlsx.column_letter(index), xlsx.column_letter(len(columns))
            sheet.list_validation(
                f"{letter}2:{letter}{package.MAX_ROWS}",
                f"'{lists.title}'!${list_letter}$2:${list_letter}${len(values) + 1}",
            )
    lists.header([c[0] for c in columns], style=xlsx.BOLD)
    lists.freeze_panes(None)
    for r in range(1, max(len(c) for c in columns)):
        lists.append([c[r] if r < len(c) else None for c in columns])
    return book.content()


def export_workbook(queryset) -> bytes:
    """Any filtered household list as .xlsx (ID numbers masked, formula-like text neutralised).

    One query, streamed in a transaction (a server-side cursor over plain values, not model
    instances, without JIT); choice labels are translated once, not per row; the sheet is written
    by the core writer (core.xlsx: formula-like text as quote-prefixed text, income as yuan).
    """
    from django.db.models import OuterRef, Subquery

    head_id = Member.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD, is_active=True).values(
        "id_number_masked"
    )[:1]
    latest_income = (
        Income.objects.filter(household=OuterRef("pk")).order_by("-year").values("per_capita_net_income")[:1]
    )
    fields = (
        "file_number", "village__parent__parent__name", "village__parent__name", "village__name", "head_name",
        "head_id", "member_count", "attribute", "status", "main_cause", "secondary_causes", "identified_year",
        "phone", "address", "food_secure", "clothing_secure", "education_secured", "medical_secured",
        "housing_secured", "income",
    )  # fmt: skip
    qs = queryset.annotate(head_id=Subquery(head_id), income=Subquery(latest_income)).values_list(*fields)
    header = [
        _("File number"), _("County"), _("Township"), _("Village"), _("Head of household"), _("ID number"),
        _("Members"), _("Household attribute"), _("Status"), _("Main poverty cause"), _("Other poverty causes"),
        _("Identification year"), _("Phone"), _("Address"), _("Two no-worries, three guarantees"),
        _("Per-capita net income (yuan)"),
    ]  # fmt: skip
    attributes = choice_labels(HouseholdAttribute)
    statuses = choice_labels(HouseholdStatus)
    causes = choice_labels(PovertyCause)
    met, not_met = str(_("met")), str(_("not met"))

    def rows():
        for (
            file_number, county, township, village, head_name, head_id, member_count, attribute, status,
            main_cause, secondary, year, phone, address, food, clothing, education, medical, housing, income,
        ) in qs.iterator(chunk_size=5000):  # fmt: skip
            yield [
                file_number, county or "", township or "", village, head_name, head_id or "", member_count,
                attributes.get(attribute, attribute), statuses.get(status, status),
                causes.get(main_cause, main_cause), "、".join(causes.get(c, c) for c in secondary),
                year, phone, pii.mask_id_numbers(address),  # free text (core.pii)
                met if food and clothing and education and medical and housing else not_met,
                income,  # a Decimal: yuan, #,##0.00
            ]  # fmt: skip

    book = xlsx.Workbook()
    sheet = book.sheet(_("Households"), headers=header)
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner's estimate for 100,000 rows with two subqueries each passes jit_above_cost; the
        # JIT compilation then takes longer (seconds) than the whole query without it.
        cursor.execute("SET LOCAL jit = off")
        sheet.extend(rows())
    return book.content()
