"""Who runs an import: the advisory lock of households.tasks.run_import (no worker needed)."""

import psycopg
import pytest
from celery.exceptions import Retry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from households import tasks
from households.models import Household, HouseholdImport, ImportStatus
from households.services import import_start
from tests.households.test_excel_import import household_row, id_numbers, workbook

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def running_job(clerk, xiuwu_village, monkeypatch):
    """A job a worker claimed (status running) before it died or while it still runs."""
    from core.roles import sync_roles

    sync_roles()
    monkeypatch.setattr(tasks.run_import, "delay", lambda pk: None)
    numbers = id_numbers(3, seed=5)
    rows = [household_row(f"CLM{i}", xiuwu_village.code, f"户主{i}", n) for i, n in enumerate(numbers)]
    job = import_start(actor=clerk, upload=SimpleUploadedFile("c.xlsx", workbook(rows)), mode="valid_rows")
    HouseholdImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    return job


def other_session():
    s = connection.settings_dict
    return psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], password=s["PASSWORD"] or None,
                           dbname=s["NAME"], autocommit=True, connect_timeout=5)  # fmt: skip


def test_a_duplicate_delivery_leaves_a_job_running_in_a_live_worker_alone(running_job, monkeypatch):
    monkeypatch.setattr(tasks, "LOCK_WAIT_SECONDS", 0.5)
    with other_session() as live_worker:
        live_worker.execute("SELECT pg_advisory_lock(%s, %s)", [tasks.IMPORT_LOCK, running_job.pk])
        with pytest.raises(Retry):  # in a worker: queued again for later, when it will find it finished
            tasks.run_import(running_job.pk)
    running_job.refresh_from_db()
    assert running_job.status == ImportStatus.RUNNING
    assert not Household.objects.filter(file_number__startswith="CLM").exists()


def test_a_job_whose_worker_died_is_run_again_and_then_never_again(running_job):
    with other_session() as dead_worker:  # its session ends (soon after): PostgreSQL frees the lock
        dead_worker.execute("SELECT pg_advisory_lock(%s, %s)", [tasks.IMPORT_LOCK, running_job.pk])
    assert tasks.run_import(running_job.pk)["claimed"] is True
    running_job.refresh_from_db()
    assert (running_job.status, running_job.households_created) == (ImportStatus.DONE, 3)
    assert tasks.run_import(running_job.pk) == {"import": running_job.pk, "claimed": False}
    assert Household.objects.filter(file_number__startswith="CLM").count() == 3
