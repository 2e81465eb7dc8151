"""Every list of the API, walked from the URL conf and the served schema (issue 22):

- it is a keyset page (`{next, previous, results}`) that obeys `page_size`;
- `updated_after` narrows it to the rows changed after that time, unless its rows have no
  modification time and `NO_MODIFICATION_TIME` below says so (a reviewed list, each with why);
- a bad query parameter is a 400 in the one error body naming the parameter, with a Chinese
  message: `page_size` that is not a whole number ≥ 1, a value outside every choice filter the
  schema declares, a malformed date, date-time, number or boolean.

Each list's row is the one the authorization matrix makes for it (tests/security/rows/), in the
persona's own county, requested as a role that sees it.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.core.exceptions import EmptyResultSet
from django.utils import timezone

from tests.conftest import rolled_back_after_scope
from tests.security.authz_matrix import OWN, Personas, Row, World, coverage, is_sided, uses_token
from tests.served_schema import get_operation, reader_of

pytestmark = pytest.mark.django_db

# Lists whose rows have no modification time, so `updated_after` cannot mean anything on them.
NO_MODIFICATION_TIME = {
    "/api/v1/regions/": "the administrative divisions: reference data loaded with the product",
    "/api/v1/assistance/coverage/": "computed per request from households and teams, not stored rows",
    "/api/v1/funds/flags/": "computed per request from the payments, not stored rows",
    "/api/v1/funds/payment-rules/": "the rules as they apply to each region, computed from the settings rows "
    "and the province's defaults; a client reads them whole",
    "/api/v1/assistance/household-officers/": "assignments record no write time (started_on/ended_on are dates)",
    "/api/v1/assistance/kind-causes/": "a small table (added_at only, rows are removed, not changed): "
    "a client reads it whole",
}
# Answers that are not row lists but one computed table each (no page, no row identity).
NOT_PAGED = {
    "/api/v1/accountability/responsible-for/": "who answers for one region on one date",
    "/api/v1/assistance/presence/month/": "one month's days in the village per team member",
    "/api/v1/assistance/villages-needing-team/": "a region's villages still without a team",
    "/api/v1/funds/batches/": "the caller's own bulk-payment batches in progress",
    "/api/v1/households/{id}/members/": "one household's members",
    "/api/v1/households/{id}/procedures/": "one household's procedures",
    "/api/v1/households/poverty-lines/": "the poverty line of each year",
    "/api/v1/households/targets/": "one year's exit targets by county",
    "/api/v1/households/villages/{code}/exit/": "one village's exit cases",
    "/api/v1/inspections/reports/{id}/surveys/": "one report's surveys",
    "/api/v1/inspections/surveys/rates/": "one month's satisfaction rates by region",
    "/api/v1/tokens/": "the caller's own tokens (at most 100)",
}


@pytest.fixture(scope="module")
def personas(django_db_setup, django_db_blocker):
    yield from rolled_back_after_scope(django_db_blocker, Personas)


def _answer_schema(spec, operation) -> dict:
    content = operation["responses"]["200"].get("content", {})
    schema = next(iter(content.values()), {}).get("schema", {})
    ref = schema.get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema


def _is_page(spec, operation) -> bool:
    return {"next", "results"} <= set(_answer_schema(spec, operation).get("properties", {}))


def _list_routes():
    """The API's GET routes of the URL conf (their rows in the matrix)."""
    return [
        pytest.param(route, entry, id=route.key)
        for route, entry in coverage().matched
        if isinstance(entry, Row)
        and route.pattern.startswith("api/v1/")
        and "GET" in entry.methods
        and reader_of(entry) is not None  # a GET some role is answered (else a route for another method)
    ]


def _get(client, world, url, query):
    full = f"{url}?{urlencode(query, doseq=True)}" if query else url
    return client.get(full, HTTP_AUTHORIZATION=f"Token {world.token}")


def _filtered_sql(url: str, world, when) -> tuple[str | None, str]:
    """The column `updated_after` compares on the list's rows, and the SQL of the list asked for
    the rows changed after `when` (as the view builds it for the persona)."""
    from django.urls import resolve
    from rest_framework.test import APIRequestFactory

    from core.api.filters import modification_field

    match = resolve(url)
    view = match.func.cls(**match.func.initkwargs)
    request = view.initialize_request(APIRequestFactory().get(url, {"updated_after": when.isoformat()}))
    request.user = world.actor
    view.request, view.args, view.kwargs, view.format_kwarg = request, (), match.kwargs, None
    queryset = view.get_queryset()
    try:
        sql = str(view.filter_queryset(queryset).query)
    except EmptyResultSet:  # nothing in the persona's scope (`.none()`): the same filter on every row
        sql = str(view.filter_queryset(queryset.model._default_manager.all()).query)
    return modification_field(view, queryset.model), sql


def _shows(response, marker: str | None, first: dict) -> bool:
    """The case's marked row is in the answer; without a marker, the list's first row (its id)."""
    if marker:
        return marker in response.content.decode()
    name = "id" if "id" in first else next(iter(first))
    return any(row.get(name) == first[name] for row in response.json()["results"])


def _bogus(parameter: dict) -> str | None:
    """A value the parameter's declared type refuses, or None (free text)."""
    schema = parameter.get("schema", {})
    if "enum" in schema or "enum" in schema.get("items", {}):
        return "bogus-choice"
    kind, fmt = schema.get("type"), schema.get("format")
    if fmt in ("date", "date-time"):
        return "not-a-date"
    if kind in ("integer", "number"):
        return "abc"
    if kind == "boolean":
        return "maybe"
    return None


def test_the_reviewed_lists_are_paths_of_the_schema(spec):
    for path in (*NO_MODIFICATION_TIME, *NOT_PAGED):
        assert path in spec["paths"], f"{path}: no such list any more; take it off the reviewed list"


@pytest.mark.parametrize(("route", "row"), _list_routes())
def test_every_list_pages_filters_by_updated_after_and_refuses_bad_parameters(
    personas, spec, route, row, client
):
    role = reader_of(row)
    assert uses_token(route, row.auth), f"{route.key}: read with a session in the matrix"
    world = World(role, personas)
    case = row.case(world, OWN if is_sided(row.case) else "any")
    url = route.url(case.kwargs)
    found = get_operation(spec, url)
    assert found, f"{url}: not in the schema"
    path, operation = found
    parameters = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
    answer = _get(client, world, url, case.query)
    assert answer.status_code == 200, (url, answer.status_code, answer.content[:300])
    if not answer["Content-Type"].startswith("application/json"):
        return  # a file (a workbook, a report), not a list
    if not _is_page(spec, operation):
        # An object (a detail, a report) or an array the reviewed list names: its own parameters
        # are held to their declared types all the same.
        if isinstance(answer.json(), list):
            assert path in NOT_PAGED, f"{path}: answers an array; page it or add it to NOT_PAGED with why"
        bad = {name: [value] for name, p in parameters.items() if (value := _bogus(p)) is not None}
        assert not _refused_badly(client, world, url, case.query, bad), path
        return
    assert path not in NOT_PAGED, f"{path} pages: take it off NOT_PAGED"
    body = answer.json()
    assert set(body) >= {"next", "previous", "results"}, body
    assert {"cursor", "page_size"} <= set(parameters), f"{path}: cursor and page_size undocumented"

    # page_size is obeyed.
    one = _get(client, world, url, {**case.query, "page_size": 1}).json()
    assert len(one["results"]) <= 1, path
    if len(body["results"]) > 1:
        assert one["next"], path

    # updated_after narrows the list, or the list is known not to have a modification time.
    if path in NO_MODIFICATION_TIME:
        assert "updated_after" not in parameters, (
            f"{path} takes updated_after: take it off NO_MODIFICATION_TIME"
        )
    else:
        assert "updated_after" in parameters, f"{path}: no updated_after (or list it in NO_MODIFICATION_TIME)"
        now = timezone.now()
        if not case.marker and not body["results"]:
            # The matrix makes no row of this list: the list's own query must compare the rows'
            # modification time with the value (the SQL the view runs, its scope included).
            field, sql = _filtered_sql(url, world, now)
            assert field, f"{path}: no modification time"
            assert f'."{field}" > ' in sql, f"{path}: updated_after is not applied: {sql[-300:]}"
        else:  # the matrix's marked row, else the list's first row (the row its case made)
            first = body["results"][0] if body["results"] else {}
            since = {**case.query, "updated_after": (now - dt.timedelta(days=1)).isoformat()}
            later = {**case.query, "updated_after": (now + dt.timedelta(minutes=5)).isoformat()}
            before, after = _get(client, world, url, since), _get(client, world, url, later)
            assert (before.status_code, after.status_code) == (200, 200), path
            assert _shows(before, case.marker, first), f"{path}: the row changed since yesterday is missing"
            assert not _shows(after, case.marker, first), f"{path}: updated_after is ignored"
            assert after.json()["results"] == [], path

    # Bad parameters: 400 naming the parameter, in Chinese.
    bad = {"page_size": ["abc", "0", "-3"]}
    for name, parameter in parameters.items():
        value = _bogus(parameter)
        if value is not None and name not in ("page_size", "cursor"):
            bad[name] = [value]
    problems = _refused_badly(client, world, url, case.query, bad)
    assert not problems, f"{path}: {problems}"


def _refused_badly(client, world, url: str, query: dict, bad: dict[str, list[str]]) -> list[str]:
    """Each bad value alone: a 400 whose errors name the parameter, in Chinese; else the problem."""
    problems = []
    for name, values in bad.items():
        for value in values:
            response = _get(client, world, url, {**query, name: value})
            if response.status_code != 400:
                problems.append(f"{name}={value}: {response.status_code}")
                continue
            error = response.json()
            if name not in error["errors"]:
                problems.append(f"{name}={value}: the error names {sorted(error['errors'])}")
            elif not re.search(r"[\u4e00-\u9fff]", error["errors"][name][0]):
                problems.append(f"{name}={value}: the message is not Chinese: {error['errors'][name][0]}")
    return problems
