"""Every route × every role × own / other region gives the answer the matrix says.

The matrix: tests/security/authz_matrix.py (notation) and tests/security/rows/ (the rows).
How to add rows: docs/SECURITY-MATRIX.md.
"""

import pytest

from tests.conftest import rolled_back_after_scope
from tests.security.authz_matrix import (
    DOC_END,
    DOC_PATH,
    DOC_START,
    Personas,
    SharedWorld,
    cells,
    coverage,
    markdown,
    perform,
    shareable,
    url_routes,
)

pytestmark = pytest.mark.django_db


def _stub(route) -> str:
    key = route.name or route.pattern
    return f'    row("{key}", case=..., GET=expect(anonymous=..., default=...)),  # /{route.pattern}  {route.view}'


def test_every_route_of_the_url_conf_is_in_the_matrix():
    cov = coverage()
    problems = []
    if cov.missing:
        problems.append(
            "Routes with no row in the authorization matrix (add them to tests/security/rows/<app>.py, "
            "see docs/SECURITY-MATRIX.md):\n" + "\n".join(_stub(r) for r in cov.missing)
        )
    if cov.stale:
        problems.append(
            "Rows for routes that no longer exist: " + ", ".join(repr(r.route) for r in cov.stale)
        )
    if cov.ambiguous:
        problems.append("\n".join(cov.ambiguous))
    assert not problems, "\n\n".join(problems)


def test_the_docs_show_the_current_matrix():
    text = DOC_PATH.read_text(encoding="utf-8")
    assert DOC_START in text, f"{DOC_PATH} lost its {DOC_START} marker"
    assert DOC_END in text, f"{DOC_PATH} lost its {DOC_END} marker"
    shown = text.split(DOC_START, 1)[1].split(DOC_END, 1)[0].strip()
    assert shown == markdown().strip(), (
        "docs/SECURITY-MATRIX.md is out of date: run `.venv/bin/python -m tests.security.render_matrix --write`"
    )


@pytest.fixture(scope="module")
def personas(django_db_setup, django_db_blocker):
    """The personas, made once for this module's ~4,700 cells (making them per cell, with a
    log-in each, took half of the matrix's time) and rolled back after the last cell. Every cell
    still runs in its own savepoint, rolled back when it ends: what a cell writes never reaches
    the next one."""
    yield from rolled_back_after_scope(django_db_blocker, Personas)


CELLS = list(cells())
BUILDERS = {cell.share_key: cell.case for cell in CELLS if cell.share_key is not None}


@pytest.fixture(scope="module")
def shared_case(request, personas, django_db_blocker):
    """The objects of one row and side, made once for the cells of every role and method (making
    them per cell was about half of the matrix's time), in a savepoint rolled back after that row's
    last cell; each cell still runs in its own savepoint on top and gets its own copy of the case.
    None — each cell builds its own — when the builder wants the persona (SharedWorld) or the case
    sends a file."""
    from django.db import transaction

    key = request.param
    if key is None:
        yield None
        return
    with django_db_blocker.unblock():
        scope = transaction.atomic()
        scope.__enter__()
        try:
            with transaction.atomic():  # a build that fails leaves nothing behind
                case = BUILDERS[key](SharedWorld(personas), key[1])
        except Exception:  # NeedsPersona, or anything a build without one trips on
            case = None  # built per cell, where a real error shows with its cell
        if case is not None and not shareable(case):
            case = None
    try:
        yield case
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            scope.__exit__(None, None, None)


@pytest.mark.parametrize(
    ("shared_case", "cell"),
    [pytest.param(cell.share_key, cell, id=cell.id) for cell in CELLS],
    indirect=["shared_case"],
    scope="module",
)
def test_route_answers_as_the_matrix_says(personas, shared_case, cell, client):
    response, case = perform(client, cell, personas, shared=shared_case)
    problems = cell.answer.problems(response, case)
    assert not problems, (
        f"{cell.method} {response.request['PATH_INFO']} as {cell.role} ({cell.side}): " + "; ".join(problems)
    )


# Routes a visitor may use. Everything else must turn a visitor away, whatever its row says
# (and even before it has one): this test covers app routes the matrix does not describe yet.
PUBLIC_ROUTES = {
    "healthz",
    "login",
    "logout",
    "set_language",
    "schema",
    "swagger-ui",
    "redoc",
    "admin:login",
    "inspections:service_worker",  # a static script that must live at /inspections/ to serve it offline
}


def _visitor_refused(route, response) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    where = response.get("Location", "")
    return response.status_code == 302 and where.startswith(("/accounts/login/", "/admin/login/", "/admin/"))


@pytest.mark.parametrize(
    "route", [r for r in url_routes() if r.key not in PUBLIC_ROUTES], ids=lambda r: r.key
)
def test_a_visitor_is_turned_away_from_every_route(route, client):
    kwargs = dict.fromkeys(route.params, "1")
    kwargs.update({"app_label": "auth", "url": "x/"})
    url = route.url(kwargs)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert _visitor_refused(route, response), (
            f"{method.upper()} {url} answered a visitor {response.status_code} {response.get('Location', '')}"
        )
