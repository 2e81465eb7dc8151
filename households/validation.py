"""Field rules for households and members, shared by services, forms, the API and the Excel import.

Each function returns errors as {field: [message, ...]} so that every channel can show them
beside the field (a form field, an API error key, a spreadsheet row and column).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from core.idnumbers import IdInfo, parse_id_number

from .models import (
    Disability,
    Education,
    Health,
    HouseholdAttribute,
    LabourAbility,
    PovertyCause,
    Relation,
    Schooling,
    Sex,
)

Errors = dict[str, list[str]]

PHONE_RE = re.compile(r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")
FILE_NUMBER_RE = re.compile(r"^[0-9A-Za-z-]{4,32}$")

GUARANTEE_FIELDS = (
    "food_secure",
    "clothing_secure",
    "education_secured",
    "medical_secured",
    "housing_secured",
)

GUARANTEES_ARE_FACTS = gettext_lazy(
    "“Two no-worries, three guarantees” are not ticked: record the facts they rest on (the food and "
    "clothing statement, medical insurance, the housing appraisal) on the household's page."
)

HOUSEHOLD_FIELDS = (
    "file_number",
    "address",
    "phone",
    "attribute",
    "identified_year",
    "main_cause",
    "secondary_causes",
    "assistance_officer",
)

MEMBER_FIELDS = (
    "name",
    "id_number",
    "relation",
    "sex",
    "birth_date",
    "health",
    "disability",
    "education",
    "schooling",
    "labour_ability",
    "migrant_worker",
    "migrant_months",
)
MEMBER_DEFAULTS = {
    "health": Health.HEALTHY,
    "disability": Disability.NONE,
    "schooling": Schooling.NOT_IN_SCHOOL,
    "migrant_worker": False,
    "migrant_months": 0,
}
MEMBER_CHOICES = {
    "relation": Relation,
    "sex": Sex,
    "health": Health,
    "disability": Disability,
    "education": Education,
    "schooling": Schooling,
    "labour_ability": LabourAbility,
}


# Choice values as sets: looked up for every member of a 10,000-row import.
_VALUES = {field: frozenset(choices.values) for field, choices in MEMBER_CHOICES.items()}
_ATTRIBUTES = frozenset(HouseholdAttribute.values)
_CAUSES = frozenset(PovertyCause.values)


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(str(message))


def check_id_number(raw: str) -> tuple[IdInfo | None, str | None]:
    """(info, None) for a valid number, (None, message) naming the rule broken otherwise."""
    if not (raw or "").strip():
        return None, _("Enter the 18-digit ID number.")
    try:
        return parse_id_number(raw), None
    except ValidationError as exc:
        return None, exc.messages[0]


def clean_member(data: dict, *, require_id: bool = True) -> tuple[dict, Errors]:
    """Validate one member's fields. Sex and birth date come from the ID number when not given,
    and must agree with it when given."""
    errors: Errors = {}
    out: dict = {k: v for k, v in MEMBER_DEFAULTS.items() if data.get(k) in (None, "")}
    out.update({k: v for k, v in data.items() if k in MEMBER_FIELDS and v not in (None, "")})
    name = (data.get("name") or "").strip()
    if not name:
        _add(errors, "name", _("Enter the member's name."))
    elif len(name) > 50:
        _add(errors, "name", _("A name has at most 50 characters."))
    out["name"] = name
    for field in MEMBER_CHOICES:
        value = out.get(field)
        if value in (None, ""):
            if field in ("relation", "education", "labour_ability"):
                _add(errors, field, _("This field is required."))
            continue
        if value not in _VALUES[field]:
            _add(errors, field, _("“%(value)s” is not one of the allowed values.") % {"value": value})
    info = None
    raw_id = (data.get("id_number") or "").strip()
    if raw_id or require_id:
        info, message = check_id_number(raw_id)
        if message:
            _add(errors, "id_number", message)
        else:
            out["id_number"] = info.number
    if info is not None:
        birth = out.get("birth_date")
        if isinstance(birth, str):
            try:
                birth = dt.date.fromisoformat(birth)
            except ValueError:
                _add(errors, "birth_date", _("Enter a date as YYYY-MM-DD."))
                birth = None
        if birth and birth != info.birth_date:
            _add(
                errors,
                "birth_date",
                _("The birth date %(given)s does not match the ID number (%(expected)s).")
                % {"given": birth.isoformat(), "expected": info.birth_date.isoformat()},
            )
        out["birth_date"] = info.birth_date
        sex = out.get("sex")
        if sex and sex in _VALUES["sex"] and sex != info.sex:
            _add(errors, "sex", _("The sex does not match the ID number (its 17th digit)."))
        out["sex"] = info.sex
    try:
        months = int(out.get("migrant_months") or 0)
    except (TypeError, ValueError):
        _add(errors, "migrant_months", _("Enter a whole number of months."))
        months = 0
    if not 0 <= months <= 12:
        _add(errors, "migrant_months", _("Months of migrant work lie between 0 and 12."))
    out["migrant_months"] = months
    out["migrant_worker"] = bool(out.get("migrant_worker"))
    return out, errors


def clean_household(data: dict, *, partial: bool = False) -> tuple[dict, Errors]:
    errors: Errors = {}
    out = {k: v for k, v in data.items() if k in HOUSEHOLD_FIELDS}
    if "file_number" in out and out["file_number"] not in (None, ""):
        out["file_number"] = str(out["file_number"]).strip()
        if not FILE_NUMBER_RE.match(out["file_number"]):
            _add(errors, "file_number", _("A file number has 4 to 32 letters, digits or hyphens."))
    if out.get("phone"):
        out["phone"] = str(out["phone"]).strip().replace(" ", "")
        if not PHONE_RE.match(out["phone"]):
            _add(errors, "phone", _("Enter an 11-digit mobile number or a landline such as 0391-1234567."))
    required = ("attribute", "identified_year", "main_cause")
    for field in required:
        if not partial and out.get(field) in (None, ""):
            _add(errors, field, _("This field is required."))
    if out.get("attribute") and out["attribute"] not in _ATTRIBUTES:
        _add(
            errors,
            "attribute",
            _("“%(value)s” is not one of the allowed values.") % {"value": out["attribute"]},
        )
    if out.get("identified_year") not in (None, ""):
        try:
            year = int(out["identified_year"])
        except (TypeError, ValueError):
            year = 0
        if not 2013 <= year <= dt.date.today().year + 1:  # noqa: DTZ011 - a calendar year
            _add(errors, "identified_year", _("The identification year lies between 2013 and next year."))
        out["identified_year"] = year
    main = out.get("main_cause")
    if main and main not in _CAUSES:
        _add(errors, "main_cause", _("“%(value)s” is not one of the allowed values.") % {"value": main})
    if "secondary_causes" in out:
        causes = [c for c in (out["secondary_causes"] or []) if c]
        bad = [c for c in causes if c not in _CAUSES]
        if bad:
            _add(
                errors,
                "secondary_causes",
                _("“%(value)s” is not one of the allowed values.") % {"value": bad[0]},
            )
        if main and main in causes:
            _add(errors, "secondary_causes", _("The main cause cannot also be a secondary cause."))
        out["secondary_causes"] = list(dict.fromkeys(causes))
    for field in GUARANTEE_FIELDS:  # no longer an input anywhere: the facts are the truth
        if field in data:
            _add(errors, field, str(GUARANTEES_ARE_FACTS))
    return out, errors


# Incomes are DecimalField(max_digits=12, decimal_places=2): below ten billion yuan.
MAX_AMOUNT = Decimal("9999999999.99")


def parse_decimal(value, field: str, errors: Errors) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():  # "NaN" and "Infinity" parse as decimals
        _add(errors, field, _("Enter an amount in yuan, e.g. 3520.50."))
        return None
    if amount < 0 or amount.as_tuple().exponent < -2:
        _add(errors, field, _("Enter a non-negative amount with at most two decimals."))
        return None
    if amount > MAX_AMOUNT:
        _add(errors, field, _("Enter an amount below 10,000,000,000 yuan."))
        return None
    return amount


# core.idnumbers' messages reach users through this app's forms, API and imports; they are not in
# the project catalogue yet, so this app's catalogue carries their translations.
CORE_MESSAGES = (
    gettext_noop("An ID number has 18 characters; this one has %(n)d."),
    gettext_noop("An ID number is 17 digits followed by a digit or X."),
    gettext_noop("The birth date in the ID number (%(date)s) is not a real date."),
    gettext_noop("The birth date in the ID number (%(date)s) is impossible."),
    gettext_noop("The ID number's check digit is wrong (GB 11643: expected %(expected)s, got %(got)s)."),
)
