"""Every GET route of the URL conf, read as a first secretary and as clerks of two counties, shows
no row outside the reader's scope, and an object URL of such a row answers 404 (issue 15.6).

A name ban (ruff TID251 on core.scoping's internals) cannot catch a hand-written
`region__code__startswith=prefix`; this walk does. It reuses the authorization matrix
(tests/security/authz_matrix.py, tests/security/rows/): its route enumeration, its personas and
the case builders of its rows. Every GET row's builder makes its rows in three places, once for
the whole module:

- "served": a village of 修武县 that the first secretary's work team serves (the matrix's own side);
- "unserved": another 修武县 village, in another township, that no team of theirs serves — the
  builder is handed that village as its county, township and village, so everything it makes lies
  in that village (a builder that cannot make its rows in a village is skipped there);
- "boai": a village of 博爱县 (the matrix's other side).

Every marker the builders make (`unique()`) is recorded with its place. Then each reader GETs
every route with each place's URL: no body (HTML, JSON, or the sheets of an .xlsx) may hold a
marker of a place outside the reader's scope, and an object URL of such a place answers 404 — or
the very answer the reader gets for a row of their own (a permission refused before the lookup
confirms nothing).
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass, field
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from core.models import ApiToken, Region, Role
from tests.conftest import make_user, rolled_back_after_scope
from tests.security.authz_matrix import (
    OTHER,
    OTHER_COUNTY,
    OWN,
    Personas,
    Place,
    Route,
    Row,
    _body_text,
    coverage,
    is_sided,
    recording_markers,
    url_routes,
    uses_token,
)

pytestmark = pytest.mark.django_db

FIRST_SECRETARY, XIUWU_CLERK, BOAI_CLERK = "first_secretary", "county_clerk", "boai_clerk"
READERS = (FIRST_SECRETARY, XIUWU_CLERK, BOAI_CLERK)
SERVED, UNSERVED, BOAI = "served", "unserved", "boai"
PLACES = (SERVED, UNSERVED, BOAI)
# The places whose rows each reader must not see, and the place of a row of their own.
OUTSIDE = {FIRST_SECRETARY: (UNSERVED, BOAI), XIUWU_CLERK: (BOAI,), BOAI_CLERK: (SERVED, UNSERVED)}
INSIDE = {FIRST_SECRETARY: SERVED, XIUWU_CLERK: SERVED, BOAI_CLERK: BOAI}

# Routes of the URL conf this walk does not read, each with the reason. A route that is neither
# walked (a GET row in the matrix) nor listed here fails `test_every_route_is_walked_or_listed`.
NOT_WALKED_PREFIXES = {
    "admin/": "Django's admin site: staff only; none of these readers is staff (the matrix checks "
    "that they are turned away)",
}
# Public pages (no log-in): what they show is published for everyone, so the reader's scope does not
# apply; what must hold is that the page of one place shows that place's rows and no other's.
PUBLIC_ROUTES = {
    "inspections:board": "the village public board (村务公开) shows its own village's notices and fund "
    "disclosures to anyone",
}
# Pages that offer the city's villages as choices: there a region's name is the org chart, public
# within the city, not a row of the place (the villages' and sign-offs' rows mark their places by
# renaming the village and the township, households_villages.py).
REGION_CHOICES = {
    "households:move": "the destination of a move may be any village of the city: a move to another "
    "county hands the file over to it",
}
REGION_MARKER_PREFIXES = ("乡镇-", "贫困村-")
# GET rows whose builder cannot make its rows in a world shared with every other route's rows.
UNBUILDABLE = {
    "households:check": "its builder takes the one check of a campaign over the whole village, and "
    "here the village holds every route's households (the matrix checks own 200 / other 404)",
    "api:check": "as households:check",
}


def _get_rows() -> list[tuple[Route, Row]]:
    return [
        (route, entry)
        for route, entry in coverage().matched
        if isinstance(entry, Row) and "GET" in entry.methods
    ]


def _not_walked_reason(route: Route, rows: dict[str, Row]) -> str | None:
    if route.key in UNBUILDABLE:
        return UNBUILDABLE[route.key]
    for prefix, reason in NOT_WALKED_PREFIXES.items():
        if route.pattern.startswith(prefix):
            return reason
    entry = rows.get(route.key)
    if entry is not None and "GET" not in entry.methods:
        return "no GET: the route only changes data (its answers are the matrix's)"
    return None


# ---------------------------------------------------------------------------------------------
# The world: readers, places, and every GET row's objects in each place.
# ---------------------------------------------------------------------------------------------
class BuildWorld:
    """What a case builder asks of its world, for one place. Builders are called with the side
    OTHER, so an object that belongs to a user (`owned`) belongs to this place's owner, never to
    a reader."""

    def __init__(self, regions, owner, personas):
        self.role = Role.COUNTY_CLERK.value
        self.personas = personas
        self.actor = owner
        self.token = None
        self._regions = regions

    def place(self, side: str) -> Place:
        county, township, village = (copy.copy(r) for r in self._regions)
        return Place(
            side=side, county=county, township=township, village=village, actor=self.actor, world=self
        )

    def other_user(self):
        return self.actor


@dataclass
class Built:
    cases: dict = field(default_factory=dict)  # route key → {place: Case}
    markers: dict = field(default_factory=lambda: {p: set() for p in PLACES})
    failed: dict = field(default_factory=dict)  # route key → {place: error}
    sessions: dict = field(default_factory=dict)  # reader → session key
    tokens: dict = field(default_factory=dict)  # reader → API token


def _unserved_village(served):
    return (
        Region.objects.filter(level="village", code__startswith=served.code[:6])
        .exclude(parent=served.parent)
        .order_by("code")
        .first()
    )


def _one_user_per_name(make):
    """The matrix's builders name some users after their county (`matrix_owner_410821000000`):
    once per cell there, many times in one world here, so the second one is the first one."""

    def make_once(role, region_code, **kwargs):
        from core.models import User

        name = kwargs.get("username")
        found = User.objects.filter(username=name).first() if name else None
        return found or make(role, region_code, **kwargs)

    return make_once


def _build() -> Built:
    from tests import conftest

    with mock.patch.object(conftest, "make_user", _one_user_per_name(conftest.make_user)):
        return _build_world()


def _build_world() -> Built:
    personas = Personas()  # the matrix's: the first secretary's team serves the own side's village
    built = Built()
    village = personas.regions[OWN][2]
    unserved = _unserved_village(village)
    regions = {
        SERVED: personas.regions[OWN],
        UNSERVED: (unserved, unserved, unserved),
        BOAI: personas.regions[OTHER],
    }
    worlds = {
        place: BuildWorld(regions[place], make_user(Role.COUNTY_CLERK, regions[place][0].code, username=f"scope_owner_{place}"), personas)
        for place in PLACES
    }  # fmt: skip
    for route, entry in _get_rows():
        if route.key in UNBUILDABLE:
            continue
        if not is_sided(entry.case):
            built.cases[route.key] = {SERVED: entry.case(worlds[SERVED], OTHER)}
            continue
        built.cases[route.key] = {}
        for place in PLACES:
            try:
                with recording_markers() as made, transaction.atomic():
                    case = entry.case(worlds[place], OTHER)
            except Exception as error:  # reported per route below
                built.failed.setdefault(route.key, {})[place] = f"{type(error).__name__}: {error}"
                continue
            built.cases[route.key][place] = case
            built.markers[place] |= set(made)
    # The readers: the matrix's first secretary and 修武县 clerk, and a 博爱县 clerk made the same way.
    for reader in (FIRST_SECRETARY, XIUWU_CLERK):
        built.sessions[reader] = personas.sessions[reader]
        built.tokens[reader] = personas.tokens[reader]
    boai_clerk = make_user(Role.COUNTY_CLERK, OTHER_COUNTY, username="scope_boai_clerk")
    _, built.tokens[BOAI_CLERK] = ApiToken.issue(user=boai_clerk, name="scope walk", days=1)
    client = Client()
    client.force_login(boai_clerk)
    built.sessions[BOAI_CLERK] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return built


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    yield from rolled_back_after_scope(django_db_blocker, _build)


# ---------------------------------------------------------------------------------------------
# Reading.
# ---------------------------------------------------------------------------------------------
def _text(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:2] == b"PK":  # a workbook: its sheets and shared strings
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as book:
                return "\n".join(
                    book.read(n).decode(errors="replace") for n in book.namelist() if n.endswith(".xml")
                )
        except zipfile.BadZipFile:
            pass
    if response.streaming:
        return raw.decode(errors="replace")
    return _body_text(response)


def _get(client, built: Built, reader: str, route: Route, entry: Row, case):
    url = route.url(case.kwargs)
    if case.query:
        url = f"{url}?{urlencode(case.query, doseq=True)}"
    headers = {}
    if uses_token(route, entry.auth):
        headers["HTTP_AUTHORIZATION"] = f"Token {built.tokens[reader]}"
        client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    else:
        client.cookies[settings.SESSION_COOKIE_NAME] = built.sessions[reader]
    with transaction.atomic():  # what a GET writes (a read mark, a log) is undone before the next
        response = client.get(url, **headers)
        transaction.set_rollback(True)
    return url, response


GET_ROWS = [(route, entry) for route, entry in _get_rows() if route.key not in UNBUILDABLE]


def test_every_route_is_walked_or_listed():
    """A new route is walked once the matrix has a GET row for it (test_authz_matrix.py asks for
    a row); one that changes data only, or that this walk cannot read, is listed with a reason."""
    rows = {route.key: entry for route, entry in coverage().matched if isinstance(entry, Row)}
    walked = {route.key for route, _ in GET_ROWS} - set(UNBUILDABLE)
    missing = [
        route.key
        for route in url_routes()
        if route.key not in walked and _not_walked_reason(route, rows) is None
    ]
    assert not missing, (
        "Routes neither walked nor listed (give them a GET row in tests/security/rows/ or a reason "
        f"in NOT_WALKED_PREFIXES): {missing}"
    )


def test_every_get_row_builds_its_rows_in_both_counties(built):
    """The walk needs each GET row's objects in a served 修武县 village and in 博爱县."""
    broken = {
        key: {place: error for place, error in errors.items() if place != UNSERVED}
        for key, errors in built.failed.items()
    }
    broken = {key: errors for key, errors in broken.items() if errors}
    assert not broken, f"case builders that failed: {broken}"
    assert all(built.markers[place] for place in PLACES)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("route", "entry"), GET_ROWS, ids=[route.key for route, _ in GET_ROWS])
def test_route_shows_no_row_outside_the_readers_scope(built, client, route, entry, reader):
    outside = OUTSIDE[reader]
    if route.key in PUBLIC_ROUTES:  # its own place's rows are public; every other place's stay out
        outside = tuple(p for p in PLACES if p not in built.cases.get(route.key, {}))
    forbidden = {marker: place for place in outside for marker in built.markers[place]}
    if route.key in REGION_CHOICES:
        forbidden = {m: p for m, p in forbidden.items() if not m.startswith(REGION_MARKER_PREFIXES)}
    cases = built.cases.get(route.key, {})
    problems = []
    inside_status = None
    order = [INSIDE[reader], *[p for p in PLACES if p != INSIDE[reader]]]
    for place in order:
        case = cases.get(place)
        if case is None:
            continue
        url, response = _get(client, built, reader, route, entry, case)
        if place == INSIDE[reader]:
            inside_status = response.status_code
        body = _text(response)
        leaked = sorted(marker for marker in forbidden if marker in body)
        if leaked:
            problems.append(
                f"GET {url} ({place} case, {response.status_code}) shows rows of "
                f"{sorted({forbidden[m] for m in leaked})}: {leaked[:5]}"
            )
        if place in outside and route.params and is_sided(entry.case):
            status = response.status_code
            if status != 404 and (200 <= status < 300 or status != inside_status):
                problems.append(
                    f"GET {url}: an object of the {place} place answers {status}, expected 404 "
                    f"(a row of the reader's own answers {inside_status})"
                )
    assert not problems, f"as {reader}:\n" + "\n".join(problems)
