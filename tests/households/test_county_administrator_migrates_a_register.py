"""The migration of an existing register keeps every database check (issue 17.2): the import's
migration mode, generate_scale and the benchmark's Excel import write with COPY into tables whose
constraints, foreign keys and append-only triggers stay on; only the audit-history insert triggers
are skipped (their rows written set-based instead, or — for synthetic data — not at all)."""

import pgtrigger
import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from households.imports.save import _history
from households.models import Household, HouseholdStatusChange, Income, Member
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db


def _names_of(pgids) -> set[str]:
    by_id = {t.get_pgid(m): t.name for m, t in pgtrigger.registered()}
    return {by_id[i] for i in pgids}


def test_the_migration_and_generate_scale_skip_only_history_insert_triggers():
    from scale.generator import _history_trigger_ids

    imported = [_history(model)[0] for model in (Household, Member, Income)]
    assert _names_of(imported) == {"insert_insert"}
    assert _names_of(_history_trigger_ids()) == {"insert_insert"}


def test_no_loader_turns_off_checks_or_durability():
    import inspect

    import bench.excel
    import households.imports.save
    import scale.generator

    for module in (scale.generator, households.imports.save, bench.excel):
        source = inspect.getsource(module).lower()
        for off in ("session_replication_role", "synchronous_commit", "unlogged", "disable trigger"):
            assert off not in source, (
                module.__name__,
                off,
            )


def _skip_history(cursor) -> None:
    skip = "{" + ",".join(_history(model)[0] for model in (Household, Member, Income)) + "}"
    cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [skip])


def test_under_the_migrations_setting_status_rows_stay_append_only_and_checked(clerk):
    household = HouseholdFactory()
    row = HouseholdStatusChange.objects.create(household=household, from_status="", to_status="registered")
    with transaction.atomic(), connection.cursor() as cursor:
        _skip_history(cursor)
        with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
            HouseholdStatusChange.objects.filter(pk=row.pk).update(note="changed")
        with pytest.raises(IntegrityError), transaction.atomic():
            HouseholdStatusChange.objects.create(
                household=household, from_status="exited", to_status="exited"
            )
