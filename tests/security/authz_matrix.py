"""The authorization matrix: every route × every role × own region / other region → the answer.

The rows live in `tests/security/rows/<app>.py` (one module per app, each a list `ROWS`), so each
team edits its own file. `test_authz_matrix.py` walks every cell and fails when a route of the
URL conf has no row. `docs/SECURITY-MATRIX.md` explains the notation and holds the rendered table
(`.venv/bin/python -m tests.security.render_matrix --write`).

A row names a route (its URL name, or its pattern when it has no name), how to make the object
the URL points at in the actor's own county and in another county (a *case builder*), and per
HTTP method the answer each role gets:

    row(
        "core:officer_detail",
        case=detail(lambda place: OfficerFactory(unit=UnitFactory(region=place.county), region=place.county)),
        GET=expect(anonymous=LOGIN, default=(OK, NOT_FOUND), leader=OK, inspector=OK, admin=OK),
    )

`(OK, NOT_FOUND)` reads "own county: 200, other county: 404"; a single answer means both.
"""

from __future__ import annotations

import copy
import importlib
import json
import pkgutil
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from core.models import Role

# ---------------------------------------------------------------------------------------------
# Who: the personas. County roles belong to 修武县; leader, inspector and admin to the city,
# as in the demo data (core/demo.py). "own" objects lie in 修武县, "other" ones in 博爱县.
# ---------------------------------------------------------------------------------------------
ANONYMOUS = "anonymous"
ROLES: tuple[str, ...] = (ANONYMOUS, *(role.value for role in Role))
CITY = "410800000000"
OWN_COUNTY = "410821000000"  # 修武县
OTHER_COUNTY = "410822000000"  # 博爱县
# The township officer's (issue 18.6): 修武县's first township, where "own" objects lie (Personas.regions).
OWN_TOWNSHIP = "410821100000"  # 城关镇
PERSONA_REGION = {
    Role.COUNTY_CLERK: OWN_COUNTY,
    Role.ASSISTANCE_OFFICER: OWN_COUNTY,
    Role.FIRST_SECRETARY: OWN_COUNTY,
    Role.FINANCE_OFFICER: OWN_COUNTY,
    Role.AUDITOR: OWN_COUNTY,
    Role.COUNTY_ADMIN: OWN_COUNTY,
    Role.INSPECTOR: CITY,
    Role.LEADER: CITY,
    Role.CITY_REVIEWER: CITY,
    Role.ADMIN: CITY,
    Role.INTEGRATION: CITY,
    Role.TOWNSHIP_OFFICER: OWN_TOWNSHIP,
    Role.ORGANISATION_DEPARTMENT: CITY,
    Role.DISCIPLINE_COMMISSION: CITY,
    Role.SUPERVISION_GROUP: CITY,
}
OWN, OTHER, ANY = "own", "other", "any"
# A service account (the integration role) has no session: on a page it is a visitor; through the
# API it reads what a leader reads, and writes nothing. A row need not name it: its answers are
# derived (`DERIVED`, resolved by `resolved()`); naming it overrides that.
INTEGRATION = Role.INTEGRATION.value


# ---------------------------------------------------------------------------------------------
# What: the answers.
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Answer:
    """An HTTP answer. `location`: a redirect must go to a URL starting with it.
    `shown`: on a 200 list, the case's marker must (True) or must not (False) be in the body."""

    status: int
    location: str | None = None
    shown: bool | None = None
    name: str = ""
    exact: bool = False  # the redirect goes to `location` itself (with no query)

    def problems(self, response, case: Case) -> list[str]:
        found: list[str] = []
        if response.status_code != self.status:
            found.append(f"status {response.status_code}, expected {self.status}")
            return found
        if self.location is not None:
            where = response.get("Location", "")
            if (where != self.location) if self.exact else not where.startswith(self.location):
                found.append(f"redirects to {where!r}, expected {self.location!r}…")
        if self.shown is not None:
            if not case.marker:
                found.append("the answer checks visibility but the case builder gave no marker")
            else:
                body = _body_text(response)
                if self.shown and case.marker not in body:
                    found.append(f"the row {case.marker!r} is missing from the answer")
                if not self.shown and case.marker in body:
                    found.append(f"the row {case.marker!r} of another region is in the answer")
        return found

    def __str__(self) -> str:
        return self.name or str(self.status)


def _body_text(response) -> str:
    content = response.content.decode(errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        try:  # also match markers that the JSON encoder escaped
            return content + json.dumps(json.loads(content), ensure_ascii=False)
        except ValueError:
            return content
    return content


OK = Answer(200, name="200")
CREATED = Answer(201, name="201")
ACCEPTED = Answer(202, name="202")
NO_CONTENT = Answer(204, name="204")
REDIRECT = Answer(302, name="302")
LOGIN = Answer(302, location="/accounts/login/", name="302→login")
ADMIN_LOGIN = Answer(302, location="/admin/login/", name="302→admin login")
BAD_REQUEST = Answer(400, name="400")
UNAUTHORIZED = Answer(401, name="401")
FORBIDDEN = Answer(403, name="403")
NOT_FOUND = Answer(404, name="404")
NOT_ALLOWED = Answer(405, name="405")
CONFLICT = Answer(409, name="409")
DERIVED = Answer(0, name="derived")  # integration: as anonymous on pages, as the leader on the API
SHOWN = Answer(200, shown=True, name="200 shown")
HIDDEN = Answer(200, shown=False, name="200 hidden")

Cell = tuple[Answer, Answer]  # (own region, other region)


def _cell(value: Answer | int | tuple) -> Cell:
    if isinstance(value, tuple):
        own, other = value
        return (_answer(own), _answer(other))
    answer = _answer(value)
    return (answer, answer)


def _answer(value: Answer | int) -> Answer:
    return value if isinstance(value, Answer) else Answer(int(value))


def expect(*, default=None, anonymous=None, **by_role) -> dict[str, Cell]:
    """Answers by role. `default` covers every role not named (anonymous too unless given)."""
    unknown = set(by_role) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; roles are {ROLES}")
    cells: dict[str, Cell] = {}
    for role in ROLES:
        value = anonymous if role == ANONYMOUS and anonymous is not None else by_role.get(role, default)
        if role == INTEGRATION:
            value = by_role.get(role, DERIVED)
        if value is None:
            raise ValueError(f"no answer for role {role!r}: name it or give default=")
        cells[role] = _cell(value)
    return cells


# ---------------------------------------------------------------------------------------------
# Where: the objects a URL points at, made in the actor's own county or in another one.
# ---------------------------------------------------------------------------------------------
@dataclass
class Place:
    """Where a case builder makes its object: `county`, a `township` and a `village` in it."""

    side: str
    county: Any
    township: Any
    village: Any
    actor: Any  # the persona (None for anonymous)
    world: World


@dataclass
class Case:
    """What one request needs: URL kwargs, query string, body, and a marker for list checks."""

    kwargs: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    data: Any = None
    marker: str | None = None
    format: str = "auto"  # auto: JSON for the API, form-encoded for pages; or "multipart"


Builder = Callable[["World", str], Case]


def no_object(world: World, side: str) -> Case:
    return Case()


no_object.sided = False  # type: ignore[attr-defined]


def fixed(*, kwargs=None, query=None, data=None) -> Builder:
    """No object: the same request for everyone (one column, not own/other)."""

    def build(world: World, side: str) -> Case:
        return Case(kwargs=dict(kwargs or {}), query=dict(query or {}), data=data)

    build.sided = False  # type: ignore[attr-defined]
    return build


def detail(
    make: Callable[[Place], Any],
    *,
    kwarg: str = "pk",
    attr: str = "pk",
    data: Callable[[Any, Place], Any] | dict | None = None,
    query: dict | None = None,
    format: str = "auto",
) -> Builder:
    """A URL pointing at one object that `make(place)` creates in the own or the other county."""

    def build(world: World, side: str) -> Case:
        place = world.place(side)
        obj = make(place)
        body = data(obj, place) if callable(data) else data
        return Case(kwargs={kwarg: getattr(obj, attr)}, query=dict(query or {}), data=body, format=format)

    build.sided = True  # type: ignore[attr-defined]
    return build


def listing(
    make: Callable[[Place], Any],
    *,
    marker: Callable[[Any], str],
    query: Callable[[Any], dict] | dict | None = None,
    kwargs: Callable[[Any, Place], dict] | None = None,
) -> Builder:
    """A list: `make(place)` creates a row in the own or the other county; SHOWN / HIDDEN check
    that its `marker(obj)` is (not) in the answer. `query` narrows the list to that row."""

    def build(world: World, side: str) -> Case:
        place = world.place(side)
        obj = make(place)
        q = query(obj) if callable(query) else dict(query or {})
        return Case(kwargs=kwargs(obj, place) if kwargs else {}, query=q, marker=marker(obj))

    build.sided = True  # type: ignore[attr-defined]
    return build


def owned(
    make: Callable[[Any], Any],
    *,
    kwarg: str = "pk",
    attr: str = "pk",
    data=None,
) -> Builder:
    """An object that belongs to a user: own = the actor's, other = another clerk's in the same
    county (for anonymous: some user's). `make(user)` creates it."""

    def build(world: World, side: str) -> Case:
        owner = world.actor if side == OWN and world.actor is not None else world.other_user()
        obj = make(owner)
        return Case(kwargs={kwarg: getattr(obj, attr)}, data=data)

    build.sided = True  # type: ignore[attr-defined]
    return build


def unique(label: str) -> str:
    """A marker no other row contains (factory sequences like 干部1 / 干部12 would)."""
    import uuid

    marker = f"{label}-{uuid.uuid4().hex[:10]}"
    if _recording:
        _recording[-1].append(marker)
    return marker


_recording: list[list[str]] = []


@contextmanager
def recording_markers() -> Iterator[list[str]]:
    """Collect every marker `unique()` makes inside the block (the rows a case builder made, for
    tests/security/test_every_route_stays_in_scope.py)."""
    _recording.append([])
    try:
        yield _recording[-1]
    finally:
        _recording.pop()


def is_sided(builder: Builder) -> bool:
    return getattr(builder, "sided", True)


class Personas:
    """The actors of the matrix, made once per test module (not once per cell): one user per role
    with an API token and a logged-in session, and the clerk who owns the "other" side's objects
    (`owned`). Made inside a transaction that the module rolls back at its end (see
    `test_authz_matrix.py`); each cell runs in its own savepoint on top, so what a cell writes —
    to its objects or to the persona itself — is undone before the next cell."""

    def __init__(self):
        from django.test import Client
        from django.utils import timezone

        from core.models import ApiToken, Region
        from tests.conftest import make_user

        self.users: dict[str, int] = {}
        self.tokens: dict[str, str] = {}
        self.sessions: dict[str, str] = {}  # role → session key
        for role in ROLES:
            if role == ANONYMOUS:
                continue
            extra = {"is_superuser": True, "is_staff": True} if role == Role.ADMIN else {}
            if role == Role.INTEGRATION:
                extra = {"is_service_account": True}
            actor = make_user(role, PERSONA_REGION[Role(role)], username=f"matrix_{role}", **extra)
            _, self.tokens[role] = ApiToken.issue(user=actor, name="authz matrix", days=1)
            self.users[role] = actor.pk
        self.regions = {}
        for side in (OWN, OTHER):
            county = Region.objects.get(code=OTHER_COUNTY if side == OTHER else OWN_COUNTY)
            township = Region.objects.filter(parent=county).order_by("code").first()
            village = Region.objects.filter(parent=township).order_by("code").first()
            self.regions[side] = (county, township, village)
        self.other_user_id = make_user(Role.COUNTY_CLERK, OWN_COUNTY, username="matrix_someone_else").pk
        for role in self.users:
            world = World(role, self)
            for setup in persona_setups():  # e.g. a first secretary's work team (rows/assistance.py)
                setup(world)
            # A real log-in (signals and all), once: every cell of the role sends this session's
            # cookie. Its expiry is pushed past the longest run (a session idles out after
            # SESSION_COOKIE_AGE); what a cell does to it is undone with the cell's savepoint.
            client = Client()
            client.force_login(world.actor)
            self.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        sessions = import_module(settings.SESSION_ENGINE).SessionStore.get_model_class()
        sessions.objects.filter(session_key__in=self.sessions.values()).update(
            expire_date=timezone.now() + timedelta(days=1)
        )

    def log_in(self, client, role: str) -> None:
        client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]


class World:
    """One cell's actor and the places around it. Made inside the test (database available):
    the persona is read afresh from the database, so no cell sees another cell's objects."""

    def __init__(self, role: str, personas: Personas):
        from core.models import User

        self.role = role
        self.personas = personas
        self.actor = User.objects.get(pk=personas.users[role]) if role != ANONYMOUS else None
        self.token = personas.tokens.get(role)
        self._other_user = None

    def place(self, side: str) -> Place:
        county, township, village = (
            copy.copy(r) for r in self.personas.regions[OTHER if side == OTHER else OWN]
        )
        return Place(
            side=side,
            county=county,
            township=township,
            village=village,
            actor=self._place_actor(),
            world=self,
        )

    def _place_actor(self):
        return self.actor

    def other_user(self):
        if self._other_user is None:
            from core.models import User

            self._other_user = User.objects.get(pk=self.personas.other_user_id)
        return self._other_user


class NeedsPersona(Exception):
    """A case builder asked for the persona (`world.actor`, its token or role): its objects are
    made per cell, not once for every role."""


class _NoPersona:
    def __getattr__(self, name):
        raise NeedsPersona(name)

    def __bool__(self):
        raise NeedsPersona("bool")


class SharedWorld(World):
    """The places without a persona: what a builder makes here serves the cells of every role and
    method of one row and side (test_authz_matrix.py, `shared_case`), each in its own savepoint on
    top. A builder that reaches for the persona raises NeedsPersona and builds per cell."""

    def __init__(self, personas: Personas):
        self.personas = personas
        self._other_user = None

    @property
    def actor(self):
        raise NeedsPersona("actor")

    @property
    def role(self):
        raise NeedsPersona("role")

    @property
    def token(self):
        raise NeedsPersona("token")

    def _place_actor(self):
        return _NoPersona()  # raises NeedsPersona when a builder uses it


def shareable(case: Case) -> bool:
    """A case whose body holds no file: a file is read once, by the first cell that sends it."""
    values = case.data.values() if isinstance(case.data, dict) else ()
    return case.format != "multipart" and not any(hasattr(v, "read") for v in values)


def fresh(case: Case) -> Case:
    """A copy for one cell: `perform` may add URL arguments, a view may read the body."""
    return Case(
        kwargs=dict(case.kwargs), query=copy.deepcopy(case.query), data=copy.deepcopy(case.data),
        marker=case.marker, format=case.format,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The rows.
# ---------------------------------------------------------------------------------------------
@dataclass
class Row:
    route: str  # URL name ("api:me"), or the pattern of an unnamed route
    methods: dict[str, dict[str, Cell]]
    case: Builder = no_object
    auth: str = "auto"  # "session" for pages, "token" for /api/v1/ (auto picks by path)
    note: str = ""


def row(route: str, *, case: Builder = no_object, auth: str = "auto", note: str = "", **methods) -> Row:
    for method in methods:
        if method not in {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}:
            raise ValueError(f"{route}: {method!r} is not an HTTP method")
    if not methods:
        raise ValueError(f"{route}: give at least one method, e.g. GET=expect(...)")
    return Row(route=route, methods=methods, case=case, auth=auth, note=note)


@dataclass
class Rule:
    """Answers for a whole family of routes generated by a framework (the admin site): every
    route whose pattern starts with `prefix`. `methods(route)` gives the answers per method,
    `kwargs(route)` the URL arguments."""

    prefix: str
    methods: Callable[[Route], dict[str, dict[str, Cell]]]
    kwargs: Callable[[Route], dict]
    summary: dict[str, str]  # role → text for the docs table
    note: str = ""


# ---------------------------------------------------------------------------------------------
# The URL conf.
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    pattern: str  # "org/officers/<int:pk>/"
    name: str | None  # "core:officer_detail"
    parts: tuple = ()  # the chain of pattern objects, to build URLs of unnamed routes
    view: str = ""

    @property
    def key(self) -> str:
        return self.name or self.pattern

    @property
    def params(self) -> tuple[str, ...]:
        names: list[str] = []
        for part in self.parts:
            if isinstance(part, RoutePattern):
                names += re.findall(r"<(?:\w+:)?(\w+)>", str(part))
            else:
                names += list(re.compile(str(part)).groupindex)
        return tuple(names)

    def url(self, kwargs: dict) -> str:
        wanted = {k: v for k, v in kwargs.items() if k in self.params}
        missing = set(self.params) - set(wanted)
        if missing:
            raise AssertionError(f"{self.key}: the case builder gave no value for {sorted(missing)}")
        if self.name:
            return reverse(self.name, kwargs=wanted)
        path = ""
        for part in self.parts:
            text = str(part)
            if isinstance(part, RoutePattern):
                text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(wanted[m[1]]), text)
            else:
                text = _fill_regex(text, wanted)
            path += text
        url = "/" + path
        match = resolve(url)
        if match.route != self.pattern:
            raise AssertionError(f"built {url!r} for {self.pattern!r} but it resolves to {match.route!r}")
        return url


def _fill_regex(regex: str, values: dict) -> str:
    out, i = [], 0
    regex = regex.removeprefix("^").removesuffix("$")
    while i < len(regex):
        m = re.match(r"\(\?P<(\w+)>", regex[i:])
        if m:
            depth, j = 1, i + m.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                j += 1
            out.append(str(values[m[1]]))
            i = j
        else:
            out.append(regex[i].replace("\\", ""))
            i += 1
    return "".join(out).replace("^", "")


def url_routes() -> list[Route]:
    """Every route of the URL conf, walked recursively (namespaces joined with ':')."""

    def walk(resolver, parts, namespace) -> Iterator[Route]:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace]))
                yield from walk(p, (*parts, p.pattern), ns)
            elif isinstance(p, URLPattern):
                chain = (*parts, p.pattern)
                pattern = "".join(str(x) for x in chain)
                name = ":".join(filter(None, [namespace, p.name])) if p.name else None
                yield Route(pattern=pattern, name=name, parts=chain, view=p.lookup_str)

    return list(walk(get_resolver(), (), ""))


# ---------------------------------------------------------------------------------------------
# The table: every module in tests/security/rows/ contributes ROWS (and RULES).
# ---------------------------------------------------------------------------------------------
def _row_modules():
    from tests.security import rows as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        yield importlib.import_module(f"{package.__name__}.{info.name}")


def all_rows() -> list[Row]:
    return [r for module in _row_modules() for r in getattr(module, "ROWS", [])]


def persona_setups() -> list[Callable[[World], None]]:
    """`PERSONA_SETUP` functions of the rows modules: each may complete `world.actor` the way a
    real user of that role looks (an officer, a team), called once per persona after it is made
    (`Personas`: once per test module; the cells' savepoints keep what it made)."""
    return [f for module in _row_modules() for f in getattr(module, "PERSONA_SETUP", [])]


def all_rules() -> list[Rule]:
    return [r for module in _row_modules() for r in getattr(module, "RULES", [])]


@dataclass
class Coverage:
    matched: list[tuple[Route, Row | Rule]]
    missing: list[Route]
    stale: list[Row]
    ambiguous: list[str]


def coverage(routes: list[Route] | None = None) -> Coverage:
    routes = url_routes() if routes is None else routes
    rows = all_rows()
    by_key: dict[str, Row] = {}
    ambiguous = []
    for r in rows:
        if r.route in by_key:
            ambiguous.append(f"two rows for {r.route!r}")
        by_key[r.route] = r
    names = [r.name for r in routes if r.name]
    dup_names = {n for n in names if names.count(n) > 1}
    matched, missing, used = [], [], set()
    for route in routes:
        found: Row | Rule | None = None
        if route.name and route.name not in dup_names and route.name in by_key:
            found = by_key[route.name]
        elif route.pattern in by_key:
            found = by_key[route.pattern]
        elif route.name in dup_names and route.name in by_key:
            ambiguous.append(f"URL name {route.name!r} names several routes: key its rows by pattern")
        if found is None:
            found = next((rule for rule in all_rules() if route.pattern.startswith(rule.prefix)), None)
        if found is None:
            missing.append(route)
        else:
            if isinstance(found, Row):
                used.add(found.route)
            matched.append((route, found))
    stale = [r for r in rows if r.route not in used]
    return Coverage(matched=matched, missing=missing, stale=stale, ambiguous=ambiguous)


@dataclass(frozen=True)
class Probe:
    route: Route
    method: str
    role: str
    side: str
    answer: Answer
    case: Builder
    auth: str
    kwargs: Callable[[Route], dict] | None = None

    @property
    def id(self) -> str:
        return f"{self.route.key} {self.method} {self.role} {self.side}"

    @property
    def share_key(self) -> tuple[str, str] | None:
        """The cells that may share one build of their objects: one row's, on one side (None: a
        case without objects, nothing to share)."""
        return (self.route.key, self.side) if self.kwargs is None and is_sided(self.case) else None


def cells() -> Iterator[Probe]:
    """Every cell; one row's cells of one side follow each other (they share a build)."""
    for route, entry in coverage().matched:
        if isinstance(entry, Rule):
            for method, by_role in entry.methods(route).items():
                for role, (answer, _) in by_role.items():
                    yield Probe(route, method, role, ANY, answer, no_object, "session", entry.kwargs)
            continue
        sides = (OWN, OTHER) if is_sided(entry.case) else (ANY,)
        for side in sides:
            for method, by_role in entry.methods.items():
                for role, (own, other) in resolved(route, entry.auth, by_role).items():
                    answer = other if side == OTHER else own
                    yield Probe(route, method, role, side, answer, entry.case, entry.auth)


def uses_token(route: Route, auth: str) -> bool:
    return auth == "token" or (auth == "auto" and route.pattern.startswith("api/v1/"))


def resolved(route: Route, auth: str, by_role: dict[str, Cell]) -> dict[str, Cell]:
    """The integration role's derived cell filled in: a service account's session is anonymous
    (core.authz.RoleBackend), its token reads as a leader's does (core.roles) and writes nothing."""
    cell = by_role.get(INTEGRATION)
    if cell is None or cell[0] is not DERIVED:
        return by_role
    return {**by_role, INTEGRATION: by_role["leader" if uses_token(route, auth) else ANONYMOUS]}


def perform(client, cell: Probe, personas: Personas, shared: Case | None = None):
    """Make the request of one cell as its persona; returns (response, case). `shared`: the case
    built once for the cell's row and side (SharedWorld), else it is built here for this cell."""
    world = World(cell.role, personas)
    case = fresh(shared) if shared is not None else cell.case(world, cell.side)
    if cell.kwargs is not None:
        case.kwargs = {**cell.kwargs(cell.route), **case.kwargs}
    url = cell.route.url(case.kwargs)
    headers = {}
    if world.actor is not None:
        if uses_token(cell.route, cell.auth):
            headers["HTTP_AUTHORIZATION"] = f"Token {world.token}"
        else:
            personas.log_in(client, cell.role)
    if case.query:
        from urllib.parse import urlencode

        url = f"{url}?{urlencode(case.query, doseq=True)}"
    method = cell.method
    if method in {"GET", "HEAD", "OPTIONS", "DELETE"} and case.data is None:
        response = client.generic(method, url, **headers)
    else:
        fmt = case.format
        if fmt == "auto":
            fmt = "json" if uses_token(cell.route, cell.auth) else "form"
        if fmt == "json":
            response = client.generic(
                method, url, json.dumps(case.data or {}), content_type="application/json", **headers
            )
        elif fmt == "multipart":
            from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

            body = encode_multipart(BOUNDARY, case.data or {})
            response = client.generic(method, url, body, content_type=MULTIPART_CONTENT, **headers)
        else:
            from urllib.parse import urlencode

            response = client.generic(
                method,
                url,
                urlencode(case.data or {}, doseq=True),
                content_type="application/x-www-form-urlencoded",
                **headers,
            )
    return response, case


# ---------------------------------------------------------------------------------------------
# The table in the docs.
# ---------------------------------------------------------------------------------------------
def markdown() -> str:
    cov = coverage()
    header = ["route", "method", *ROLES]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    rules_done = set()
    for route, entry in sorted(cov.matched, key=lambda m: m[0].pattern):
        if isinstance(entry, Rule):
            if entry.prefix in rules_done:
                continue
            rules_done.add(entry.prefix)
            label = f"`/{entry.prefix}…` (every route)"
            lines.append(
                f"| {label} | all | " + " | ".join(entry.summary.get(role, "") for role in ROLES) + " |"
            )
            continue
        label = f"`/{route.pattern}`" + (f" `{route.name}`" if route.name else "")
        for method, by_role in entry.methods.items():
            by_role = resolved(route, entry.auth, by_role)
            texts = []
            for role in ROLES:
                own, other = by_role[role]
                texts.append(str(own) if own == other or not is_sided(entry.case) else f"{own} / {other}")
            lines.append(f"| {label} | {method} | " + " | ".join(texts) + " |")
    return "\n".join(lines)


DOC_PATH = settings.BASE_DIR / "docs" / "SECURITY-MATRIX.md"
DOC_START, DOC_END = "<!-- matrix:start -->", "<!-- matrix:end -->"
