"""schemathesis response conformance on every GET operation of /api/schema/, as a city leader (who
reads every app city-wide) over rows whose optional relations are empty (issue 22).

tests/security/test_api_fuzz.py runs every operation as a county clerk with almost no rows, for
robustness; here the lists have rows to answer, among them the ones that answer null (a finding
without a responsible unit, a responsibility held by a unit, not an officer), so each answer's body
is held to its documented schema where a generated client would read it. A small budget of its own:
READ_EXAMPLES generated requests per operation (3 by default, about 20 s in all), derandomized.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks
from schemathesis.config import SchemathesisConfig

from config.wsgi import application
from tests.conftest import CITY, XIUWU, rolled_back_after_scope

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
EXAMPLES = int(os.environ.get("READ_EXAMPLES", "3"))

config = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=config).include(
    method="GET"
)


def _world():
    from core.models import ApiToken, Region, Role
    from tests.conftest import make_user
    from tests.factories.accountability import ResponsibilityFactory
    from tests.factories.core import OfficerFactory, UnitFactory
    from tests.factories.households import HouseholdFactory
    from tests.factories.inspections import FindingFactory

    county = Region.objects.get(code=XIUWU)
    village = Region.objects.filter(code__startswith="410821", level="village").order_by("code").first()
    unit = UnitFactory(region=county, name="一致性测试单位")
    for _ in range(2):
        OfficerFactory(unit=unit, region=county)
        HouseholdFactory(village=village)
    FindingFactory(region=village, responsible_unit=None)
    ResponsibilityFactory(kind="department", officer=None, unit=unit, region=village)
    leader = make_user(Role.LEADER, CITY, username="leader_reads_schema")
    return ApiToken.issue(user=leader, name="schema conformance")[1]


@pytest.fixture(scope="module")
def token(django_db_setup, django_db_blocker):
    yield from rolled_back_after_scope(django_db_blocker, _world)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_read_answers_what_the_schema_documents(case, token, wsgi_in_test_transaction):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
