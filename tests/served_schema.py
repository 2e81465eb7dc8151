"""The served API schema as the tests that walk the API read it (the `spec` fixture is in
tests/core/conftest.py): its GET operation of a URL, and a role the authorization matrix says reads a row (tests/core/test_api_answers_match_the_schema.py,
tests/core/test_every_list_pages_and_filters.py)."""

from __future__ import annotations

import re


def get_operation(spec: dict, url: str) -> tuple[str, dict] | None:
    """The schema's GET operation of a URL; a literal path before a templated one (`targets/`
    before `{id}/`)."""
    for path in sorted(spec["paths"], key=lambda p: p.count("{")):
        methods = spec["paths"][path]
        if "get" in methods and re.fullmatch(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path)), url):
            return path, methods["get"]
    return None


def reader_of(row) -> str | None:
    """A role answered 200 on the own side, one the matrix says sees the row when it says so for
    any (the county clerk when it is one)."""
    answers = {role: own for role, (own, _other) in row.methods["GET"].items() if role != "anonymous"}
    readers = sorted(role for role, answer in answers.items() if answer.status == 200)
    seeing = [role for role in readers if answers[role].shown]
    for choice in (seeing, readers):
        if "county_clerk" in choice:
            return "county_clerk"
        if choice:
            return choice[0]
    return None
