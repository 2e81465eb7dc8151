"""schemathesis against /api/schema/: every operation, as an authenticated county clerk.

Each operation gets FUZZ_EXAMPLES generated requests (by default as many as keep the whole run
near 80 seconds: 15 with a few operations, never fewer than 4; e.g. FUZZ_EXAMPLES=200 for a deep run), derandomized so a CI failure reproduces (FUZZ_RANDOM=1 explores new inputs). Every
answer must not be a 500 and must match the schema: a documented status code, content type,
headers and body. The requests go through the WSGI app in this process, inside the test's
transaction, so they see the clerk and the rows made here and leave nothing behind.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, assume, settings
from schemathesis import checks
from schemathesis.config import SchemathesisConfig

from config.wsgi import application
from core.models import ApiToken
from tests.factories.core import OfficerFactory, UnitFactory

# What must hold for every answer, valid input or not. Left out on purpose:
# positive_data_acceptance / negative_data_rejection judge how strict input parsing is, and
# DRF is lenient by design (a CharField takes 0 as "0", a bad page_size means the default);
# stateful checks (use_after_free, ensure_resource_availability) need links in the schema.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.ignored_auth,  # the same request without the token must be refused
]
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"

# The coverage phase (boundary values of every parameter) is thorough but costs ~5 s per
# operation; it runs with FUZZ_COVERAGE=1, the bounded default run in `make test` skips it.
COVERAGE = os.environ.get("FUZZ_COVERAGE") == "1"
config = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}})
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=config)
# About 0.07 s per generated request here (2 cores): budget ~1,100 requests for the whole run.
OPERATIONS = sum(1 for _ in schema.get_all_operations())
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or max(4, min(15, 1100 // max(OPERATIONS, 1)))


@pytest.fixture
def clerk_token(clerk, xiuwu, wsgi_in_test_transaction):
    """The clerk's token, and a few of the clerk's own rows for the operations to find."""
    unit = UnitFactory(region=xiuwu, name="模糊测试单位")
    for _ in range(3):
        OfficerFactory(unit=unit, region=xiuwu)
    token, raw = ApiToken.issue(user=clerk, name="fuzz")
    return token, raw


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_conform_to_the_schema(case, clerk_token):
    token, raw = clerk_token
    # Revoking the very token the run authenticates with would turn the rest into 401s.
    if case.operation.path == "/api/v1/tokens/{id}/revoke/":
        assume(str(case.path_parameters.get("id")) != str(token.pk))
    case.call_and_validate(headers={"Authorization": f"Token {raw}"}, checks=CHECKS)


# Control characters in every string of every operation: generated strings rarely hold a NUL
# byte in a few examples, so each operation also gets one case whose every string value (query,
# body at any depth, string path parameters) carries one. core.inputs refuses them all: a 400 in
# the error body, which the checks above hold to the schema like any other answer (issue 15.10).
CONTROLS = ("\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\x7f", "\x85", "\x9f")


def _with_controls(value, marks: list[int]):
    if isinstance(value, str):
        marks[0] += 1
        return value + CONTROLS[marks[0] % len(CONTROLS)]
    if isinstance(value, dict):
        return {k: _with_controls(v, marks) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_controls(v, marks) for v in value]
    return value


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=1,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_control_characters_in_any_string_are_refused_with_a_400(case, clerk_token):
    token, raw = clerk_token
    if case.operation.path == "/api/v1/tokens/{id}/revoke/":
        assume(str(case.path_parameters.get("id")) != str(token.pk))
    marks = [0]
    if case.query:
        case.query = _with_controls(case.query, marks)
    if isinstance(case.body, dict | list):
        case.body = _with_controls(case.body, marks)
    if case.path_parameters:
        case.path_parameters = {
            k: _with_controls(v, marks) if isinstance(v, str) else v for k, v in case.path_parameters.items()
        }
    documented = [p.name for p in case.operation.query]
    if not marks[0] and documented:  # nothing generated to carry one: a documented filter does
        case.query = {**(case.query or {}), documented[0]: "\x00"}
        marks[0] += 1
    response = case.call_and_validate(headers={"Authorization": f"Token {raw}"}, checks=CHECKS)
    if marks[0]:
        assert response.status_code == 400, (case.operation.label, response.status_code, response.text[:300])
