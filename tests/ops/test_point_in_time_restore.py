"""Backups that restore (issue 25.2): a base backup of a running cluster with its WAL archived, more
writes, then a fresh cluster restored to a chosen time between them — the product started on it finds
the households, every account's ledger balance and the last payment as they were at that time, and
nothing written after it."""

import pytest

from .clusters import (
    archiving_primary,
    product_env,
    remove,
    restored_to,
    run_product,
    wait_archived,
)

# The clusters are loaded from this run's migrated test database: pytest-django sets it up only for a run
# with a test that asks for a database.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def restore(test_schema_dump):
    primary = restored = None
    try:
        primary = archiving_primary()
        primary.load(test_schema_dump)
        env = product_env(primary)
        before = run_product("restore_scenario", env, "before")
        backup = primary.dir / "base-backup"  # beside the cluster: owned by its user, removed with it
        primary.base_backup(backup)
        after = run_product("restore_scenario", env, "after")
        wait_archived(primary, after["last_segment"])
        restored = restored_to(backup, primary.archive, after["chosen"])
        now = run_product("restore_scenario", product_env(restored), "figures")
        yield {"before": before, "kept": after["kept"], "lost": after["lost"], "restored": now}
    finally:
        remove(restored, primary)


def test_the_product_starts_on_the_restored_cluster(restore):
    assert restore["restored"]["healthz"] == 200


def test_households_and_ledger_balances_are_those_of_the_chosen_time(restore):
    kept, restored = restore["kept"], restore["restored"]
    assert restored["households"] == kept["households"] > restore["before"]["households"]
    assert restored["funds"] == kept["funds"]
    assert restored["balances"] == kept["balances"]
    assert len(kept["balances"]) > len(restore["before"]["balances"]), "writes after the backup were replayed"


def test_the_last_payment_before_the_chosen_time_is_the_last_one_there(restore):
    assert restore["restored"]["last_payment"] == restore["kept"]["last_payment"]
    assert restore["kept"]["last_payment"]["amount"] == "450.50"


def test_nothing_written_after_the_chosen_time_is_there(restore):
    restored, lost = restore["restored"], restore["lost"]
    assert lost["households"] > restored["households"]
    assert not [n for n in restored["file_numbers"] if n.startswith("PITR-lost")]
    assert [n for n in lost["file_numbers"] if n.startswith("PITR-lost")]
    assert lost["last_payment"]["amount"] == "999.00"
    assert lost["last_payment"]["id"] != restored["last_payment"]["id"]
