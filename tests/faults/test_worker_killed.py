"""kill -9 of a Celery worker in the middle of the monthly bulletin and of an Excel import.

A real worker (a subprocess: `celery worker`, prefork, one child) runs the task against the test
database and stops at a test-only pause point in the middle of the work (tests/faults/worker_app.py).
Then either
- `child`: only the pool child running the task is killed (-9); the worker's main process sees
  the loss and, with task_reject_on_worker_lost + acks_late, puts the task back; it runs again; or
- `worker`: the whole worker (main process and child) is killed (-9), like a lost machine; the
  message was never acknowledged, so a NEW worker gets it back (visibility timeout) and runs it.
Either way exactly one correct result must exist afterwards, and the message must be gone from
Redis (acknowledged once, not looping).
"""

import datetime as dt
import json
import os
import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder

from accountability.models import AccountabilityCase, Bulletin, BulletinStatus, MonthlyScore
from core.models import Region
from households.models import Household, HouseholdImport, HouseholdStatusChange, ImportStatus, Income, Member
from households.services import import_start
from inspections.models import Finding
from tests.accountability.test_monthly_bulletin_task import may_data
from tests.households.test_excel_import import household_row, id_numbers, workbook

from .workers import Worker, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
MAY = dt.date(2017, 5, 1)
PAUSE_TIMEOUT = 60  # the worker starts (a few seconds) and reaches the pause point
RECOVER_TIMEOUT = 60


def kill_mid_task(how: str, broker, marker, point: str, env: dict, done) -> dict:
    """Run a task in a worker that pauses mid-work, kill -9 it, let it be re-run; return timings."""
    first = Worker(
        "first", broker.queue, env={"FUPIN_FAULT_POINT": point, "FUPIN_FAULT_MARKER": str(marker), **env}
    )
    second = Worker("second", broker.queue, env={"FUPIN_FAULT_VISIBILITY": "3"})
    try:
        first.start()
        pid = int(wait_for(lambda: marker.exists() and marker.read_text(), timeout=PAUSE_TIMEOUT,
                           what=f"the worker to reach the pause point ({first.log})", alive=first.check_alive))  # fmt: skip
        assert pid in first.children(), "the task runs in a pool child of the worker"
        seen = {"in_the_middle": in_the_middle_snapshot(point)}
        if how == "child":
            os.kill(pid, signal.SIGKILL)
            runner = first
        else:
            first.kill_everything()
            seen["after_kill"] = in_the_middle_snapshot(point)
            runner = second.start()
        wait_for(
            done,
            timeout=RECOVER_TIMEOUT,
            what=f"the re-run to finish ({runner.log})",
            alive=runner.check_alive,
        )
        wait_for(broker.settled, timeout=20, what="the message to be acknowledged")
        return seen
    finally:
        first.stop()
        second.stop()


def in_the_middle_snapshot(point: str) -> dict:
    if point == "bulletin":
        return {"bulletins": Bulletin.objects.filter(month=MAY).count()}
    job = HouseholdImport.objects.get()
    return {
        "status": job.status,
        "processed_rows": job.processed_rows,
        "households": Household.objects.filter(file_number__startswith="FLT").count(),
    }


@pytest.mark.parametrize("how", ["child", "worker"])
def test_bulletin_killed_mid_task_is_published_once_with_the_database_totals(how, broker, marker, xiuwu_org):
    may_data(xiuwu_org)
    broker.send("accountability.tasks.monthly_bulletin", "2017-05")

    seen = kill_mid_task(
        how, broker, marker, "bulletin", {},
        done=lambda: Bulletin.objects.filter(month=MAY).exists(),
    )  # fmt: skip

    # While it was paused the bulletin row existed only in the worker's open transaction.
    assert seen["in_the_middle"] == {"bulletins": 0}
    assert seen.get("after_kill", {"bulletins": 0}) == {"bulletins": 0}  # nothing half-written
    bulletin = Bulletin.objects.get(month=MAY)  # exactly one
    assert (bulletin.version, bulletin.status, bulletin.reason) == (1, BulletinStatus.PUBLISHED, "")
    content = bulletin.content
    db_findings = Finding.objects.filter(status="confirmed", confirmed_at__date__gte=MAY,
                                         confirmed_at__date__lt=dt.date(2017, 6, 1)).count()  # fmt: skip
    db_opened = AccountabilityCase.objects.filter(
        opened_on__gte=MAY, opened_on__lt=dt.date(2017, 6, 1)
    ).count()
    assert db_findings == 3
    assert db_opened == 8
    assert content["findings"]["total"] == db_findings
    assert content["cases"]["totals"]["opened"] == db_opened
    assert len(content["scores"]["units"]) + len(content["scores"]["officers"]) == (
        MonthlyScore.objects.filter(month=MAY).count()
    )
    # The whole snapshot is what the database says now.
    from accountability.services.bulletin import build_content

    fresh = json.loads(json.dumps(build_content(region=Region.objects.get(code="410800000000"), month=MAY),
                                  cls=DjangoJSONEncoder))  # fmt: skip
    fresh.pop("built_at"), content.pop("built_at")
    assert content == fresh


HOUSEHOLDS = 120
BAD_EVERY = 10  # every 10th household has a wrong check digit: 12 bad rows, 108 households to import


@pytest.fixture
def import_job(clerk, xiuwu_village, broker, monkeypatch):
    from core.roles import sync_roles
    from tests.factories.households import ensure_poverty_lines

    sync_roles()
    ensure_poverty_lines()
    numbers = id_numbers(HOUSEHOLDS * 2, seed=3)
    rows, bad = [], 0
    for i in range(HOUSEHOLDS):
        head, spouse = numbers[2 * i], numbers[2 * i + 1]
        if i % BAD_EVERY == BAD_EVERY - 1:
            spouse = spouse[:17] + ("0" if spouse[17] != "0" else "1")
            bad += 1
        file_number = f"FLT{i:05d}"
        rows.append(household_row(file_number, xiuwu_village.code, f"户主{i}", head))
        rows.append(household_row(file_number, xiuwu_village.code, f"配偶{i}", spouse, relation="配偶"))
    from households import tasks

    monkeypatch.setattr(tasks.run_import, "delay", lambda pk: broker.send(tasks.run_import.name, pk))
    job = import_start(
        actor=clerk, upload=SimpleUploadedFile("faults.xlsx", workbook(rows)), mode="valid_rows"
    )
    return job, {"households": HOUSEHOLDS - bad, "members": 2 * (HOUSEHOLDS - bad), "bad_rows": 2 * bad}


@pytest.mark.parametrize("how", ["child", "worker"])
def test_import_killed_while_saving_commits_every_valid_row_exactly_once(how, broker, marker, import_job):
    job, expected = import_job

    def finished():
        job.refresh_from_db()
        return job.status in (ImportStatus.DONE, ImportStatus.FAILED)

    seen = kill_mid_task(
        how,
        broker,
        marker,
        "import",
        {"FUPIN_FAULT_CHUNK": "25", "FUPIN_FAULT_AFTER_CHUNKS": "2"},
        done=finished,
    )

    # Killed while saving: rows checked (progress > 0), two chunks of 25 households saved...
    assert seen["in_the_middle"]["status"] == ImportStatus.RUNNING
    assert seen["in_the_middle"]["processed_rows"] > 0
    # ...but nothing committed until the whole job is: a dead run leaves no households behind.
    assert seen["in_the_middle"]["households"] == 0
    assert seen.get("after_kill", {}).get("households", 0) == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.message
    assert (job.total_rows, job.processed_rows) == (2 * HOUSEHOLDS, 2 * HOUSEHOLDS)
    assert (job.households_created, job.members_created, job.error_rows) == (
        expected["households"], expected["members"], expected["bad_rows"],
    )  # fmt: skip
    households = Household.objects.filter(file_number__startswith="FLT")
    assert households.count() == expected["households"]
    assert households.values("file_number").distinct().count() == expected["households"]
    members = Member.objects.filter(household__file_number__startswith="FLT")
    assert members.count() == expected["members"]
    assert members.values("id_number_hash").distinct().count() == expected["members"]
    assert Income.objects.filter(household__in=households).count() == expected["households"]
    assert HouseholdStatusChange.objects.filter(household__in=households).count() == expected["households"]
    assert not households.filter(file_number__endswith="9").exists()  # the bad households stayed out
