"""Helpers on 12-digit statistical division codes that need no database query."""

from __future__ import annotations


def prefix_from_code(code: str) -> str:
    """The significant prefix of a code: 410821000000 → 410821, 410821100203 → 410821100203.

    Village 12 digits, township 9, county 6, city 4, province 2. A region's scope is
    every code that starts with its prefix.
    """
    if len(code) != 12 or not code.isdigit():
        raise ValueError(f"not a 12-digit division code: {code!r}")
    if code[9:] != "000":
        return code
    if code[6:9] != "000":
        return code[:9]
    if code[4:6] != "00":
        return code[:6]
    if code[2:4] != "00":
        return code[:4]
    return code[:2]


def pad_code(code: str) -> str:
    """Short significant form (4108, 410821) → full 12-digit form."""
    return code.ljust(12, "0")


def in_line(code: str | None, region_code: str) -> bool:
    """Whether `code` lies within `region_code` or above it — the units and officers that may answer
    for a place: a city department answers for every county of the city, a township's government
    for its county; another county's units and officers do not (issue 15.4). No region: False."""
    if not code:
        return False
    mine, theirs = prefix_from_code(code), prefix_from_code(region_code)
    return mine.startswith(theirs) or theirs.startswith(mine)
