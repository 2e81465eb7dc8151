"""What the API answers is what its schema says (issue 22): every GET route of the URL conf, with the
rows the authorization matrix makes for it (tests/security/rows/) and rows made here whose optional
relations are empty (the nulls: a finding without a responsible unit, a payment to an organisation,
a responsibility without an officer, a plan's non-household targets), requested as a role that
reads it; each 200's JSON body is validated against the served schema's response for that
operation (OpenAPI 3.0 semantics: `nullable`, read-only fields, formats).

A generated client (openapi-python-client, pydantic models) refuses a body that does not match:
the account ledger was documented as an array, `/funds/flags/` as an array while it answered
`{results}`, fields answered null that the schema said never were.
"""

from __future__ import annotations

import pytest
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker

from tests.conftest import rolled_back_after_scope
from tests.security.authz_matrix import OWN, Personas, Row, World, coverage, is_sided, uses_token
from tests.served_schema import get_operation, reader_of

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def personas(django_db_setup, django_db_blocker):
    yield from rolled_back_after_scope(django_db_blocker, Personas)


def problems(spec, url: str, response) -> list[str]:
    """How the answer differs from the schema's 200 response of its operation."""
    url = url.split("?")[0]
    found = get_operation(spec, url)
    if found is None:
        return [f"{url}: not in the schema"]
    path, operation = found
    documented = operation["responses"].get("200", {}).get("content", {})
    media = response["Content-Type"].split(";")[0]
    if media not in documented:
        return [f"{path}: answers {media}, documented {sorted(documented)}"]
    if media != "application/json":
        return []
    schema = {**documented[media]["schema"], "components": spec["components"]}
    validator = OAS30ReadValidator(schema, format_checker=oas30_format_checker)
    return [
        f"{path}: at {'/'.join(map(str, e.absolute_path)) or 'the body'}: {e.message[:300]}"
        for e in sorted(
            validator.iter_errors(response.json()), key=lambda e: list(map(str, e.absolute_path))
        )[:5]
    ]


# Routes left to a change that reworks them (pattern: why); take them off with it. None now: the import's
# status and error report (issue 22, import over the API) came back with their per-row errors.
REWORKED_ELSEWHERE: dict[str, str] = {}


def _get_routes():
    return [
        pytest.param(route, entry, id=route.key)
        for route, entry in coverage().matched
        if isinstance(entry, Row)
        and route.pattern not in REWORKED_ELSEWHERE
        and route.pattern.startswith("api/v1/")
        and "GET" in entry.methods
        and reader_of(entry) is not None
    ]


@pytest.mark.parametrize(("route", "row"), _get_routes())
def test_every_get_answers_what_the_schema_says(personas, spec, route, row, client):
    role = reader_of(row)
    assert uses_token(route, row.auth), f"{route.key}: read with a session in the matrix"
    world = World(role, personas)
    case = row.case(world, OWN if is_sided(row.case) else "any")
    url = route.url(case.kwargs)
    query = "&".join(f"{k}={v}" for k, v in case.query.items())
    response = client.get(f"{url}?{query}" if query else url, HTTP_AUTHORIZATION=f"Token {world.token}")
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    assert not problems(spec, url, response)


def test_nulls_answered_are_documented_nullable(spec, api_as, xiuwu, xiuwu_village):
    """Rows whose optional relations are empty, read through their lists and details: every null
    in the answer is one the schema documents (officer_name, household_file_number,
    responsible_unit_name, targets[].household_name were documented non-nullable), and the plan's
    verification answers the body its schema describes (it had none)."""
    import datetime as dt

    from core.models import Region
    from households.models import Household
    from inspections import services as inspections_services
    from inspections.models import ItemStatusChange
    from tests.factories.accountability import ResponsibilityFactory
    from tests.factories.core import UnitFactory
    from tests.factories.households import HouseholdFactory
    from tests.factories.inspections import (
        FindingFactory,
        RectificationItemFactory,
        inspection_group,
        inspector_user,
    )

    finding = FindingFactory(region=xiuwu_village, responsible_unit=None)
    responsibility = ResponsibilityFactory(
        kind="department", officer=None, unit=UnitFactory(region=xiuwu), region=xiuwu_village
    )
    for village in Region.objects.filter(code__startswith="410821", level="village"):
        HouseholdFactory(village=village)  # households in every village, so a drawn village has some
    group = inspection_group("一")
    inspector = inspector_user(group, username="inspector_schema")
    plan = inspections_services.visit_plan_draw(
        actor=inspector, group=group, county=xiuwu, month=dt.date(2017, 5, 1)
    )
    kinds = set(plan.targets.values_list("kind", flat=True))
    assert {"household", "township"} <= kinds  # targets with and without a household
    assert Household.objects.exists()
    item = RectificationItemFactory(finding=FindingFactory(region=xiuwu_village))
    ItemStatusChange.objects.create(item=item, from_status="", to_status=item.status, actor=None, note="系统")
    client = api_as(inspector)
    found = []
    for url in (
        f"/api/v1/inspections/items/{item.pk}/",
        f"/api/v1/inspections/findings/{finding.pk}/",
        "/api/v1/inspections/findings/?page_size=500",
        f"/api/v1/accountability/responsibilities/{responsibility.pk}/",
        "/api/v1/accountability/responsibilities/?page_size=500",
        f"/api/v1/inspections/plans/{plan.pk}/",
        f"/api/v1/inspections/plans/{plan.pk}/verify/",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        found += problems(spec, url, response)
    assert not found
    body = client.get(f"/api/v1/inspections/findings/{finding.pk}/").json()
    assert body["responsible_unit_name"] is None  # the null the schema now documents
    changes = client.get(f"/api/v1/inspections/items/{item.pk}/").json()["status_changes"]
    assert [c["actor_name"] for c in changes if c["note"] == "系统"] == [None]  # it read "None"
