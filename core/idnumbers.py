"""Resident identity numbers (GB 11643-1999): 6-digit region, 8-digit birth date,
3-digit sequence (odd = male, even = female), ISO 7064 MOD 11-2 check digit."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


# The text an office suite writes for a number shown in scientific notation: Excel's CSV
# "4.10821E+17", LibreOffice's "4.10821197104025E+017", WPS's "4.10821E+17".
_SCIENTIFIC = re.compile(r"[0-9](?:[.,][0-9]*)?[eE]\+?[0-9]{1,3}")


def stored_as_number(value) -> bool:
    """Was this ID cell a number in the spreadsheet? Excel, WPS and LibreOffice turn 18 typed digits
    into a number of 15 significant digits: a numeric cell (int or float), or in a CSV the text the
    suite wrote for it ("4.10821E+17"). Its last digits are lost, and no check digit can say why."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and _SCIENTIFIC.fullmatch(value.strip()) is not None


def stored_as_number_message() -> str:
    """The refusal of an ID number `stored_as_number`."""
    return _(
        "The ID number was stored as a number and its last digits are lost: format the column "
        "as text and type the number again."
    )


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    region_code: str


def parse_id_number(raw: str, *, today: dt.date | None = None) -> IdInfo:
    """Validate and decode an ID number. Raises ValidationError naming the rule broken."""
    number = (raw or "").strip().upper()
    if len(number) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(n)d."), code="length", params={"n": len(number)}
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("An ID number is 17 digits followed by a digit or X."), code="format")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) is not a real date."),
            code="birth_date",
            params={"date": f"{number[6:10]}-{number[10:12]}-{number[12:14]}"},
        ) from None
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date, not an instant
    if birth > today or birth.year < 1890:
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) is impossible."),
            code="birth_date",
            params={"date": birth.isoformat()},
        )
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("The ID number's check digit is wrong (GB 11643: expected %(expected)s, got %(got)s)."),
            code="check_digit",
            params={"expected": expected, "got": number[17]},
        )
    return IdInfo(
        number=number, birth_date=birth, sex="M" if int(number[16]) % 2 else "F", region_code=number[:6]
    )


def make_id_number(rng: random.Random, *, region6: str, birth: dt.date, female: bool) -> str:
    """A well-formed synthetic ID number (for demo and scale data)."""
    seq = rng.randint(0, 499) * 2 + (0 if female else 1)
    first17 = f"{region6}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)
