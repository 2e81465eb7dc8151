"""The workbooks the households app hands out: the import template and the export of a household list."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core import pii, xlsx
from households import imports as package  # its tunables, read at call time (tests lower them there)

from ..models import (
    HouseholdAttribute,
    HouseholdStatus,
    Income,
    Member,
    PovertyCause,
    Relation,
    choice_labels,
)
from .columns import COLUMNS

# Columns whose values are digits that are not numbers: ID number, phone, file number, village code.
TEXT_KEYS = ("id_number", "phone", "file_number", "village")


def template_workbook() -> bytes:
    """The downloadable template: headers, one example household, drop-down lists for coded columns."""
    book = xlsx.Workbook()
    sheet = book.sheet(_("Households"), headers=[str(label) for _k, label, _kind in COLUMNS])
    lists = book.sheet(_("Allowed values"))
    widths = [16] * len(COLUMNS)
    widths[16] = 22  # the ID number
    sheet.column_widths(widths)
    # Typed as text: 18 digits typed into a number column lose their last three.
    keys = [k for k, _label, _kind in COLUMNS]
    sheet.text_columns(keys.index(k) + 1 for k in TEXT_KEYS if k in keys)
    columns: list[list[str]] = []  # the lists, column by column
    for index, (key, label, kind) in enumerate(COLUMNS, start=1):
        if kind is None:
            continue
        values = [_("yes"), _("no")] if kind is bool else [str(lbl) for _v, lbl in kind.choices]
        values = ["是", "否"] if kind is bool and translation.get_language().startswith("zh") else values
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
