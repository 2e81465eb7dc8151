"""Region-code helpers that need no query (a region's ancestors are prefixes of its code)."""

from __future__ import annotations

from core.regions import pad_code, prefix_from_code

# Significant digits at province, city, county, township, village level.
_LEVEL_DIGITS = (2, 4, 6, 9, 12)


def ancestor_codes(code: str) -> list[str]:
    """The region and every region above it, most specific first.

    410821100203 → [410821100203, 410821100000, 410821000000, 410800000000, 410000000000]
    """
    significant = len(prefix_from_code(code))
    return [pad_code(code[:digits]) for digits in reversed(_LEVEL_DIGITS) if digits <= significant]


def county_code(code: str) -> str:
    return pad_code(code[:6])
