"""The workbook's columns: keys, header labels in Chinese and English, the allowed values of coded
columns, and how a cell's value is read as text.
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import pgettext_lazy

from ..models import (
    Disability,
    Education,
    Health,
    HouseholdAttribute,
    LabourAbility,
    PovertyCause,
    Relation,
    Schooling,
)

# (key, header label, choices or kind). The first 10 columns describe the household and are read from
# the first row of each file number; the rest describe one member per row.
COLUMNS = [
    ("file_number", pgettext_lazy("excel column", "File number"), None),
    ("village", pgettext_lazy("excel column", "Village code"), None),
    ("address", pgettext_lazy("excel column", "Address"), None),
    ("phone", pgettext_lazy("excel column", "Phone"), None),
    ("attribute", pgettext_lazy("excel column", "Household attribute"), HouseholdAttribute),
    ("identified_year", pgettext_lazy("excel column", "Identification year"), None),
    ("main_cause", pgettext_lazy("excel column", "Main poverty cause"), PovertyCause),
    ("secondary_causes", pgettext_lazy("excel column", "Other poverty causes"), PovertyCause),
    ("income_year", pgettext_lazy("excel column", "Income year"), None),
    ("per_capita_net_income", pgettext_lazy("excel column", "Per-capita net income (yuan)"), None),
    ("name", pgettext_lazy("excel column", "Name"), None),
    ("id_number", pgettext_lazy("excel column", "ID number"), None),
    ("relation", pgettext_lazy("excel column", "Relation to head"), Relation),
    ("health", pgettext_lazy("excel column", "Health"), Health),
    ("disability", pgettext_lazy("excel column", "Disability"), Disability),
    ("education", pgettext_lazy("excel column", "Education"), Education),
    ("schooling", pgettext_lazy("excel column", "Schooling"), Schooling),
    ("labour_ability", pgettext_lazy("excel column", "Labour ability"), LabourAbility),
    ("migrant_worker", pgettext_lazy("excel column", "Migrant worker"), bool),
    ("migrant_months", pgettext_lazy("excel column", "Months of migrant work"), None),
]
HOUSEHOLD_KEYS = [c[0] for c in COLUMNS[:10]]
MEMBER_KEYS = [c[0] for c in COLUMNS[10:]]
# The five tick boxes of 两不愁三保障 the template once had: the guarantees rest on dated facts now
# (a statement, insurance, an appraisal: recorded on the household's pages), so a workbook that
# still carries these columns is refused, naming them (reader.RowReader), never read as the truth.
RETIRED_COLUMNS = [
    ("food_secure", pgettext_lazy("excel column", "Enough food")),
    ("clothing_secure", pgettext_lazy("excel column", "Enough clothing")),
    ("education_secured", pgettext_lazy("excel column", "Compulsory education secured")),
    ("medical_secured", pgettext_lazy("excel column", "Basic medical care secured")),
    ("housing_secured", pgettext_lazy("excel column", "Safe housing secured")),
]
# The file number of the template's example household (workbooks.template_workbook): its rows are
# skipped by the import (reader.RowReader), in either language.
EXAMPLE_MARK = pgettext_lazy("import template", "Example")
TRUE = {"是", "有", "yes", "y", "true", "1", "√", "✓"}
FALSE = {"否", "无", "no", "n", "false", "0", ""}


def _labels(key_label) -> set[str]:
    out = set()
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            out.add(str(key_label).strip().lower())
    return out


def _header_map() -> dict[str, str]:
    mapping = {}
    for key, label, _kind in COLUMNS:
        mapping[key] = key
        for text in _labels(label):
            mapping[text] = key
    return mapping


def retired_header_map() -> dict[str, str]:
    """Header text (Chinese, English or the key) of a retired tick-box column → its label."""
    mapping = {}
    for key, label in RETIRED_COLUMNS:
        for text in (key, *_labels(label)):
            mapping[text] = str(label)
    return mapping


def _choice_map(choices) -> dict[str, str]:
    mapping = {}
    for value, label in choices.choices:
        mapping[value.lower()] = value
        for text in _labels(label):
            mapping[text] = value
    return mapping


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def example_marks() -> set[str]:
    """The file number of the template's example household, lower-cased, in either language."""
    return _labels(EXAMPLE_MARK)


def label_of(key: str) -> str:
    for k, label, _kind in COLUMNS:
        if k == key:
            return str(label)
    return key
