"""The product against a primary and its streaming standby (run by tests/ops/test_replica_reads.py).

`python -m tests.ops.replica_scenario` with DATABASE_URL (the primary) and DATABASE_REPLICA_URLS (the
standby) in the environment, as a deployment configures it. Requests go through Django's test client;
every SQL statement is counted by the server it went to (the replicas' position probes apart). Prints
one JSON line of what it saw; the test asserts on it. FUPIN_OPS_STOP_REPLICA (a JSON command) stops
the standby for the last part.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from core import db_positions  # noqa: E402
from core.db_replicas import ReadState, _state  # noqa: E402
from core.models import Region, Role  # noqa: E402
from core.regions_data import load_regions  # noqa: E402
from core.services import api_token_issue  # noqa: E402
from funds import services as funds  # noqa: E402
from tests.factories.core import UserFactory  # noqa: E402
from tests.factories.funds import FundFactory, ProjectFactory  # noqa: E402
from tests.factories.households import HouseholdFactory  # noqa: E402

CITY, XIUWU = "410800000000", "410821000000"
PASSWORD = "Pass-word-123"  # tests.factories.core.UserFactory's
PRIMARY_ONLY_TABLES = ("django_session", "core_user", "core_apitoken", "auth_", "axes_")


class Seen:
    """SQL statements by server, while `watch()` is open."""

    def __init__(self):
        self.count: Counter[str] = Counter()
        self.replica_sql: list[str] = []

    def wrapper(self, alias: str):
        def wrap(execute, sql, params, many, context):
            if "pg_is_in_recovery()" not in sql:  # the position probe is not a read of the page
                self.count[alias] += 1
                if alias != "default":
                    self.replica_sql.append(sql)
            return execute(sql, params, many, context)

        return wrap

    @contextlib.contextmanager
    def watch(self):
        self.count.clear()
        self.replica_sql.clear()
        with contextlib.ExitStack() as stack:
            for alias in settings.DATABASES:
                stack.enter_context(connections[alias].execute_wrapper(self.wrapper(alias)))
            yield self

    def summary(self) -> dict:
        # Queried as such (FROM); a page may still join a user's name onto its rows.
        touched = sorted({t for sql in self.replica_sql for t in PRIMARY_ONLY_TABLES if f'FROM "{t}' in sql})
        return {
            "primary": self.count["default"],
            "replica": self.count["replica1"],
            "replica_tables": touched,
        }


def standby_sql(sql: str):
    with connections["replica1"].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0] if cursor.description else None


def wait_for_standby() -> None:
    """Until the standby has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = db_positions.lsn_number(cursor.fetchone()[0])
    deadline = time.monotonic() + 30
    while db_positions.lsn_number(standby_sql("SELECT pg_last_wal_replay_lsn()::text")) < target:
        if time.monotonic() > deadline:
            raise SystemExit("the standby did not catch up in 30 s")
        time.sleep(0.05)
    db_positions.forget()


def request(seen: Seen, client: Client, method: str, path: str, **kwargs) -> dict:
    with seen.watch():
        response = getattr(client, method)(path, **kwargs)
    seen_here = {"status": response.status_code, **seen.summary()}
    if response.get("Content-Type", "").startswith("application/json") and "address" in response.json():
        seen_here["address"] = response.json()["address"]
    return seen_here


def main() -> dict:
    setup_test_environment()
    assert list(settings.DATABASES) == ["default", "replica1"], settings.DATABASES.keys()
    if not Region.objects.filter(code=XIUWU).exists():
        load_regions(prefix="4108")
    UserFactory(username="ops_leader", roles=[Role.LEADER], region_id=CITY)
    clerk = UserFactory(username="ops_clerk", roles=[Role.COUNTY_CLERK], region_id=XIUWU)
    maker = UserFactory(username="ops_finance", roles=[Role.FINANCE_OFFICER], region_id=XIUWU)
    checker = UserFactory(username="ops_finance2", roles=[Role.FINANCE_OFFICER], region_id=XIUWU)
    household = HouseholdFactory(address="旧地址")
    raw_token = api_token_issue(actor=clerk, name="ops")[1]
    wait_for_standby()
    seen, out = Seen(), {}

    # Logging in (sessions, users, lockouts) never reads a replica.
    leader_client = Client()
    out["login"] = request(seen, leader_client, "post", "/accounts/login/",
                           data={"username": "ops_leader", "password": PASSWORD})  # fmt: skip
    wait_for_standby()  # logging in wrote the session: until the standby has it, the leader reads the primary
    out["dashboard"] = request(seen, leader_client, "get", "/dashboard/")
    out["bulletins"] = request(seen, leader_client, "get", "/accountability/bulletins/")
    api = Client(HTTP_AUTHORIZATION=f"Token {raw_token}")
    out["api_list"] = request(seen, api, "get", "/api/v1/households/")
    out["api_detail"] = request(seen, api, "get", f"/api/v1/households/{household.pk}/")
    out["feed"] = request(
        seen, api, "get", "/api/v1/households/", data={"updated_after": "2000-01-01T00:00:00Z"}
    )

    # Read-your-writes: the standby stops replaying; the clerk saves the household and reads it back.
    standby_sql("SELECT pg_wal_replay_pause()")
    out["write"] = request(seen, api, "patch", f"/api/v1/households/{household.pk}/",
                           data=json.dumps({"address": "新地址"}), content_type="application/json")  # fmt: skip
    db_positions.forget()
    out["read_own_write"] = request(seen, api, "get", f"/api/v1/households/{household.pk}/")
    out["others_meanwhile"] = request(seen, leader_client, "get", "/dashboard/")
    standby_sql("SELECT pg_wal_replay_resume()")
    wait_for_standby()
    out["read_own_write_replayed"] = request(seen, api, "get", f"/api/v1/households/{household.pk}/")

    # The payment flow: its request made from inside an opted-in read (its transactions stay on the
    # primary), its approval through the API (never opted in).
    fund, project = FundFactory(), ProjectFactory()
    funds.budget_arrange(actor=maker, fund=fund, amount=Decimal("5000.00"))
    account = funds.project_account(fund, project)
    funds.allocate_to_project(actor=maker, from_account=funds.pool_account(fund), project=project,
                              amount=Decimal("5000.00"))  # fmt: skip
    wait_for_standby()
    token = _state.set(ReadState(None))
    try:
        with seen.watch():
            pay, _created = funds.disbursement_request_create(
                actor=maker, idempotency_key="ops-1", from_account=account, amount=Decimal("1200.00"),
                purpose="务工补贴", payee_kind="organisation", payee_name="合作社",
            )  # fmt: skip
            out["payment_request"] = seen.summary()
    finally:
        _state.reset(token)
    checker_api = Client(HTTP_AUTHORIZATION=f"Token {api_token_issue(actor=checker, name='ops')[1]}")
    out["payment_approve"] = request(
        seen, checker_api, "post", f"/api/v1/funds/disbursements/{pay.pk}/approve/"
    )
    out["payment_read"] = request(seen, checker_api, "get", f"/api/v1/funds/disbursements/{pay.pk}/")
    out["payment_status"] = pay.__class__.objects.get(pk=pay.pk).status

    # A replica lagging past the bound is skipped.
    wait_for_standby()
    standby_sql("SELECT pg_wal_replay_pause()")
    HouseholdFactory()  # something to replay
    time.sleep(1.5)
    settings.REPLICA_MAX_LAG_SECONDS = 1
    db_positions.forget()
    out["lagging"] = request(seen, leader_client, "get", "/dashboard/")
    standby_sql("SELECT pg_wal_replay_resume()")
    settings.REPLICA_MAX_LAG_SECONDS = 30
    wait_for_standby()
    out["caught_up"] = request(seen, leader_client, "get", "/dashboard/")

    # The standby stops while this process still believes it up: the page is read again from the primary.
    db_positions.PROBE_SECONDS = 600
    db_positions.position("replica1")
    stop = json.loads(os.environ["FUPIN_OPS_STOP_REPLICA"])
    subprocess.run(stop, check=True, capture_output=True, timeout=60)  # noqa: S603 - the test's pg_ctl command
    out["stopped"] = request(seen, leader_client, "get", "/dashboard/")
    out["stopped_api"] = request(seen, api, "get", "/api/v1/households/")
    db_positions.PROBE_SECONDS = 1.0
    db_positions.forget()
    out["stopped_probed"] = request(seen, leader_client, "get", "/accountability/bulletins/")
    out["address_on_primary"] = household.__class__.objects.get(pk=household.pk).address
    return out


if __name__ == "__main__":
    result = main()
    sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
