"""Every value that enters the product passes one rule before any view sees it.

PostgreSQL refuses a NUL byte in text (psycopg raises ValueError: a 500 wherever a view passed
the value on), and other control characters have no place in a household file, a filter or a
name: they are invisible on screen, break exports and can hide text from a reviewer. So
`BadInputMiddleware` refuses, with a 400 naming the field and the rule, any request whose path,
query string, form fields, uploaded file names or JSON body (keys and strings at any depth)
hold one of them:

- C0 controls (U+0000–U+001F) except tab, line feed and carriage return, which free text
  (findings, notes, addresses pasted from a spreadsheet) legitimately contains;
- DEL and the C1 controls (U+007F–U+009F);
- lone surrogates (U+D800–U+DFFF), which JSON's \\uXXXX escapes can carry but UTF-8 cannot
  store.

Format rules of a single field (a 12-digit village code, a number) stay with the field: the
forms, serializers and filter sets (core.api.filters) answer those with their own 400.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_control_characters(value: str) -> bool:
    return CONTROL_RE.search(value) is not None


def control_character_message(field: str) -> str:
    return _("%(field)s: control characters (such as the NUL byte) are not allowed.") % {"field": field}


def _json_strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field path, text) for every key and string of a parsed JSON document."""
    if isinstance(value, str):
        yield path or "non_field_errors", value
    elif isinstance(value, dict):
        for key, item in value.items():
            key = str(key)
            child = f"{path}.{key}" if path else key
            yield child, key
            yield from _json_strings(item, child)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _json_strings(item, f"{path}[{i}]" if path else f"[{i}]")


def _query_items(query: QueryDict) -> Iterator[tuple[str, str]]:
    for key, values in query.lists():
        yield key, key
        for value in values:
            yield key, value


def _body_items(request) -> Iterator[tuple[str, str]]:
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        from core.uploads.routes import form_body_refused

        if form_body_refused(request):
            return  # DRF refuses it unread (415)
        if request.method == "POST":
            yield from _query_items(request.POST)
            for key, files in request.FILES.lists():
                for upload in files:
                    yield key, upload.name or ""
        elif content_type == FORM_TYPES[0]:  # PUT / PATCH: Django parses POST bodies only
            yield from _query_items(QueryDict(request.body, encoding=request.encoding))
    elif content_type == "application/json" or content_type.endswith("+json"):
        try:
            document = json.loads(request.body or b"null")
        except ValueError:
            return  # not JSON: the API's parser answers that with its own 400
        yield from _json_strings(document, "")


def bad_input(request) -> tuple[str, str] | None:
    """(field, message) of the first value that breaks the rule, or None."""
    if has_control_characters(request.path):
        return "path", control_character_message(_("web address"))
    for source in (_query_items(request.GET), _body_items(request)):
        for field, text in source:
            if has_control_characters(text):
                # The field is named as sent, its control characters shown as escapes.
                name = CONTROL_RE.sub(lambda m: f"\\x{ord(m[0]):02x}", field)
                return name, control_character_message(name)
    return None


ID_TEXT = re.compile(r"[1-9][0-9]{0,17}")  # a primary key: 1 … 999,999,999,999,999,999 (< 2**63)


def is_id(value: str) -> bool:
    return ID_TEXT.fullmatch(value or "") is not None


def query_filters(params, *keys: str, ids: tuple[str, ...] = ()) -> dict[str, str]:
    """A list page's filters from its query string: each value stripped, empty ones left out,
    and those named in `ids` (a row's primary key: a unit, a group) kept only when they are one —
    letters, a negative or a number too large for the database are ignored, like an unknown
    filter, instead of reaching the query (where they were a 500)."""
    out = {}
    for key in (*keys, *ids):
        value = (params.get(key) or "").strip()
        if value and (key not in ids or is_id(value)):
            out[key] = value
    return out
