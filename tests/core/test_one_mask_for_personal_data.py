"""One scanner and one mask for personal data (issue 15.1, 15.9): core.pii masks ID numbers, names
and phone numbers for the pages, the API, the exports, the public board and the logs alike."""

import logging
import re
from pathlib import Path

from django.template import Context, Template

from core import pii
from core.logging import MaskIdNumbersFilter

NUMBER = "41082119900307251X"
ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "core",
    "households",
    "assistance",
    "funds",
    "inspections",
    "accountability",
    "dashboard",
    "policies",
    "scale",
)


def test_the_mask_keeps_the_region_and_the_check_digit_only():
    assert pii.mask_id(NUMBER) == "410821***********X"
    assert pii.mask_id(NUMBER.lower()) == "410821***********X"
    assert pii.mask_id("4108211990") == "**********"  # not a number: nothing of it shown


def test_free_text_is_masked_by_the_same_mask():
    text = f"户主身份证号{NUMBER}，家中无人；邻居说明410821199003072514也在此居住。卡号6222021990030725141。"
    masked = pii.mask_id_numbers(text)
    assert NUMBER not in masked
    assert "410821199003072514" not in masked
    assert "户主身份证号410821***********X，" in masked
    assert "410821***********4也在此居住" in masked
    assert "6222021990030725141" in masked  # a longer run of digits is not an ID number


def test_the_logs_the_templates_and_the_board_use_core_pii():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "row %s", (NUMBER,), None)
    MaskIdNumbersFilter().filter(record)
    assert record.getMessage() == "row 410821***********X"
    rendered = Template("{% load core_tags %}{{ t|masked }} {{ t|masked_public }}").render(
        Context({"t": f"{NUMBER} 13812345678"})
    )
    assert rendered == "410821***********X 13812345678 410821***********X 138****5678"


def test_names_keep_the_surname_only():
    assert pii.mask_name("王秀英") == "王**"
    assert pii.mask_name("王英") == "王*"
    assert pii.mask_name("") == ""


def test_no_other_masker_is_defined_outside_core_pii():
    """The three ID maskers and two name maskers that drifted apart are gone; a new one fails here."""
    definitions = re.compile(r"^\s*def _?mask_\w*\(|\*{8}", re.MULTILINE)
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path == ROOT / "core" / "pii.py" or "migrations" in path.parts:
                continue
            found += [
                f"{path.relative_to(ROOT)}: {m.group(0).strip()}"
                for m in definitions.finditer(path.read_text())
            ]
    assert found == []


def test_text_cut_short_does_not_show_the_start_of_a_number():
    """truncatechars ends a cut text with "…": the digits before it are masked past the region."""
    assert pii.mask_id_numbers("户主身份证号41082119870615…") == "户主身份证号410821********…"
    assert pii.mask_id_numbers_in_body("户主41082119…".encode()) == "户主410821**…".encode()
    assert pii.mask_id_numbers("金额123456…") == "金额123456…"  # too short to be a number's start
