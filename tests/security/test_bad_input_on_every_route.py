"""Bad input on every route of the URL conf, as a logged-in county clerk: never a 500.

Every route the authorization matrix knows (tests/security/rows/) is requested the way its row
builds it (the clerk's own county). Each query parameter and body field it may read — the row's
own, the names of the fields on the page's forms, and the filters the lists share — is sent:

- a NUL byte and other control characters: refused by core.inputs with a 400 naming the field
  (the API in its one error body), whatever the route and the clerk's permissions;
- malformed values (letters for a number or a region code, a code of the wrong length, a huge
  number): a 400 or the value ignored, never a 500.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from tests.conftest import rolled_back_after_scope
from tests.security.authz_matrix import OWN, Personas, Row, World, coverage, is_sided, uses_token

pytestmark = pytest.mark.django_db

ROLE = "county_clerk"
# Filters the lists share (pages and API): sent to every route besides the route's own fields.
COMMON = (
    "q", "village", "township", "county", "region", "status", "kind", "year", "month", "sort", "page",
    "per_page", "cursor", "page_size", "updated_after", "household", "unit", "group", "category",
    "severity", "source", "cause", "attribute", "officer", "fund", "project", "account", "date",
    "responsible_unit", "overdue", "next",
)  # fmt: skip
CONTROL = ("\x00", "名\x00字", "\x01", "a\x1bb", "\x7f", "\x85")
MALFORMED = ("abc", "12345678901234567890123", "-1", "4108")
FIELD_NAME = re.compile(r'\bname="([^"]+)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL | re.IGNORECASE)
SKIP_FIELDS = {"csrfmiddlewaretoken", "language"}


@pytest.fixture(scope="module")
def personas(django_db_setup, django_db_blocker):
    yield from rolled_back_after_scope(django_db_blocker, Personas)


def _routes():
    return [
        pytest.param(route, entry, id=route.key)
        for route, entry in coverage().matched
        if isinstance(entry, Row)
    ]


def _send(client, route, row, personas, world, method, url, query, data, fmt):
    headers = {}
    if uses_token(route, row.auth):
        headers["HTTP_AUTHORIZATION"] = f"Token {world.token}"
    else:
        personas.log_in(client, ROLE)
    if query:
        url = f"{url}?{urlencode(query, doseq=True)}"
    if method in ("GET", "HEAD", "DELETE", "OPTIONS") and data is None:
        return client.generic(method, url, **headers)
    if fmt == "auto":
        fmt = "json" if uses_token(route, row.auth) else "form"
    if fmt == "json":
        return client.generic(method, url, json.dumps(data or {}), content_type="application/json", **headers)
    if fmt == "multipart":
        for value in (data or {}).values():
            if hasattr(value, "seek"):  # a file of the row's body, sent again
                value.seek(0)
        body = encode_multipart(BOUNDARY, data or {})
        return client.generic(method, url, body, content_type=MULTIPART_CONTENT, **headers)
    body = urlencode(data or {}, doseq=True)
    return client.generic(method, url, body, content_type="application/x-www-form-urlencoded", **headers)


def _form_fields(response) -> dict[str, set[str]]:
    """The field names of the page's own forms, by method ("GET" filters, "POST" forms)."""
    found: dict[str, set[str]] = {"GET": set(), "POST": set()}
    if not response.get("Content-Type", "").startswith("text/html"):
        return found
    for attrs, inner in FORM.findall(response.content.decode(errors="replace")):
        if "quicksearch" in attrs or "langswitch" in attrs:  # base.html's, on every page
            continue
        method = "POST" if re.search(r'method="post"', attrs, re.IGNORECASE) else "GET"
        for name in FIELD_NAME.findall(inner):
            # Of a formset, the first row stands for the others.
            if name not in SKIP_FIELDS and not re.match(r"[\w]+-([1-9]\d*|__prefix__)-", name):
                found[method].add(name)
    return found


@pytest.mark.parametrize(("route", "row"), _routes())
def test_control_characters_and_malformed_values_never_crash_a_route(personas, route, row, client):
    world = World(ROLE, personas)
    case = row.case(world, OWN if is_sided(row.case) else "any")
    url = route.url(case.kwargs)
    body = case.data if isinstance(case.data, dict) else None
    problems: list[str] = []

    def check(method, query, data, *, value, field=None):
        response = _send(client, route, row, personas, world, method, url, query, data, case.format)
        if response.status_code >= 500:
            problems.append(f"{method} {field or 'every field'}={value!r}: {response.status_code}")
        elif value in CONTROL and response.status_code != 400:
            problems.append(
                f"{method} {field or 'every field'}={value!r}: {response.status_code}, expected 400"
            )
        elif value in CONTROL and field and uses_token(route, row.auth):
            errors = response.json().get("errors", {})
            if field not in errors:
                problems.append(f"{method} {field}={value!r}: the error does not name the field: {errors}")

    own = {"GET": set(case.query), "POST": set(body or {})}
    if "GET" in row.methods:
        first = _send(client, route, row, personas, world, "GET", url, case.query, None, case.format)
        assert first.status_code < 500, f"GET {url}: {first.status_code}"
        for method, names in _form_fields(first).items():
            own[method] |= names
    for method in row.methods:
        if method in ("HEAD", "OPTIONS"):
            continue
        in_body = method not in ("GET", "DELETE")
        mine = sorted(own["POST" if in_body else "GET"])
        every = sorted(set(mine) | set(COMMON))

        def send(fields, value, method=method, in_body=in_body):
            named = fields[0] if len(fields) == 1 else None
            if in_body:
                data = {**(body or {}), **dict.fromkeys(fields, value)}
                check(method, case.query, data, value=value, field=named)
            else:
                check(method, {**case.query, **dict.fromkeys(fields, value)}, None, value=value, field=named)

        # Each of the route's own fields alone (so the refusal names it), then every field at once.
        for field in mine:
            send([field], CONTROL[0])
        for value in CONTROL:
            send(every, value)
        if method == "GET":
            for value in MALFORMED:
                send(every, value)
                for field in mine:
                    send([field], value)
    for param in route.params:
        if f"<str:{param}>" in route.pattern or f"<slug:{param}>" in route.pattern:
            bad = route.url({**case.kwargs, param: "x"}).replace("/x/", "/x%00/")
            response = client.get(bad, HTTP_AUTHORIZATION=f"Token {world.token}")
            if response.status_code != 400:
                problems.append(f"GET {bad}: {response.status_code}, expected 400")
    assert not problems, f"{route.key} ({url}):\n" + "\n".join(problems)
