"""Reads on a real streaming replica (issue 25.1): the test starts a primary of its own and a standby
made from it with `pg_basebackup -R -X stream -c fast` (Django's TEST MIRROR would only reuse the
primary's connection and prove nothing), runs the product against both as a deployment configures it
(DATABASE_URL, DATABASE_REPLICA_URLS) and counts each server's SQL statements per request."""

import json

import pytest

from .clusters import new_primary, product_env, remove, run_product, standby_of

# The clusters are loaded from this run's migrated test database: pytest-django sets it up only for a run
# with a test that asks for a database.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seen(test_schema_dump):
    primary = standby = None
    try:
        primary = new_primary()
        primary.load(test_schema_dump)
        standby = standby_of(primary)
        stop = [*(["runuser", "-u", "postgres", "--"] if standby.root else []),
                str(standby.bin / "pg_ctl"), "-D", str(standby.data), "-m", "fast", "-w", "-t", "30", "stop"]  # fmt: skip
        env = product_env(
            primary,
            DATABASE_REPLICA_URLS=f"postgres://postgres@127.0.0.1:{standby.port}/fupin_faults",
            REPLICA_MAX_LAG_SECONDS="30",
            FUPIN_OPS_STOP_REPLICA=json.dumps(stop),
        )
        yield run_product("replica_scenario", env)
    finally:
        remove(standby, primary)


def test_the_dashboard_the_bulletins_and_the_household_api_are_read_from_the_replica(seen):
    for page in ("dashboard", "bulletins", "api_list", "api_detail"):
        assert seen[page]["status"] == 200, (page, seen[page])
        assert seen[page]["replica"] > 0, (page, seen[page])


def test_sessions_users_tokens_and_permissions_are_read_from_the_primary_only(seen):
    assert seen["login"]["status"] == 302, seen["login"]
    assert seen["login"]["replica"] == 0
    assert seen["login"]["primary"] > 0
    for page in ("dashboard", "bulletins", "api_list", "api_detail"):
        assert seen[page]["replica_tables"] == [], (page, seen[page])
        assert seen[page]["primary"] > 0, f"{page}: the session or token must be read on the primary"


def test_the_change_feed_and_writes_never_touch_the_replica(seen):
    assert seen["feed"]["status"] == 200
    assert seen["feed"]["replica"] == 0
    assert seen["write"]["status"] == 200, seen["write"]
    assert seen["write"]["replica"] == 0


def test_the_payment_flow_stays_on_the_primary(seen):
    """The request made from inside an opted-in read (its transaction reads and locks on the primary);
    the approval and the request's page through the API, which do not opt in."""
    assert seen["payment_request"]["replica"] == 0
    assert seen["payment_request"]["primary"] > 3
    assert seen["payment_approve"]["status"] == 200, seen["payment_approve"]
    assert seen["payment_approve"]["replica"] == 0
    assert seen["payment_read"]["status"] == 200
    assert seen["payment_read"]["replica"] == 0
    assert seen["payment_status"] == "approved"


def test_a_household_just_saved_is_shown_to_its_writer_at_once(seen):
    """The standby's replay is paused when the clerk saves: their next read goes to the primary (the
    replica has not passed their write), others still read the replica; once it has replayed the
    write, the clerk reads from the replica again."""
    assert seen["read_own_write"]["status"] == 200
    assert seen["read_own_write"]["address"] == "新地址"
    assert seen["read_own_write"]["replica"] == 0
    assert seen["others_meanwhile"]["replica"] > 0
    assert seen["read_own_write_replayed"]["address"] == "新地址"
    assert seen["read_own_write_replayed"]["replica"] > 0
    assert seen["address_on_primary"] == "新地址"


def test_a_replica_lagging_past_the_bound_is_skipped_until_it_catches_up(seen):
    assert seen["lagging"]["status"] == 200
    assert seen["lagging"]["replica"] == 0
    assert seen["caught_up"]["replica"] > 0


def test_a_stopped_replica_is_skipped_without_an_error(seen):
    """Stopped while the process still counted it up: the page is read again from the primary; once
    probed, it is not tried at all."""
    for page in ("stopped", "stopped_api", "stopped_probed"):
        assert seen[page]["status"] == 200, (page, seen[page])
        assert seen[page]["primary"] > 0
    assert seen["stopped_probed"]["replica"] == 0


def test_replica_reads_take_seconds(seen):
    assert seen["_seconds"] < 60, seen["_seconds"]
