"""一月一通报 runs in a real Celery worker over Redis; twice for a month leaves one bulletin; its .xlsx adds up."""

import datetime as dt
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from celery.contrib.testing.worker import start_worker
from celery.schedules import crontab
from django.conf import settings
from openpyxl import load_workbook

from accountability.models import AccountabilityCase, Bulletin, BulletinStatus, CaseType
from accountability.services import bulletin_regenerate, case_open
from accountability.tasks import daily_accountability, monthly_bulletin
from accountability.xlsx import bulletin_workbook
from config.celery import all_queues, app
from inspections.models import Finding
from tests.factories.accountability import standard_scheme
from tests.factories.core import OfficerFactory

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def celery_worker_real(transactional_db):
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, queues=all_queues(),
                      shutdown_timeout=10) as worker:  # fmt: skip
        yield worker


def may_data(xiuwu_org):
    standard_scheme()
    village = xiuwu_org["village"]
    for category, severity in [
        ("identification", "minor"),
        ("funds", "serious"),
        ("identification", "grave"),
    ]:
        Finding.objects.create(source="audit", category=category, severity=severity, description="=HYPERLINK(\"x\")",
                               region=village, status="confirmed",
                               confirmed_at=dt.datetime(2017, 5, 9, 9, tzinfo=SH))  # fmt: skip
    Finding.objects.create(source="audit", category="files", severity="minor", description="六月", region=village,
                           status="confirmed", confirmed_at=dt.datetime(2017, 6, 1, 0, 30, tzinfo=SH))  # fmt: skip
    officer = OfficerFactory(unit=xiuwu_org["government"], name="=1+1")
    for i, day in enumerate([dt.date(2017, 5, 3), dt.date(2017, 5, 28), dt.date(2017, 4, 30)]):
        case_open(case_type=CaseType.ADMONITION_TALK, grounds="-测试", officer=officer, opened_on=day,
                  dedupe_key=f"t{i}")  # fmt: skip


@pytest.mark.celery_worker
def test_bulletin_task_in_a_worker_twice_leaves_one_bulletin(celery_worker_real, xiuwu_org):
    may_data(xiuwu_org)
    first = monthly_bulletin.delay("2017-05").get(timeout=60)
    second = monthly_bulletin.delay("2017-05").get(timeout=60)
    assert [b["created"] for b in first["bulletins"]] == [True]
    assert [b["created"] for b in second["bulletins"]] == [False]
    assert Bulletin.objects.filter(month=dt.date(2017, 5, 1)).count() == 1
    bulletin = Bulletin.objects.get(month=dt.date(2017, 5, 1))
    assert first["bulletins"][0]["id"] == second["bulletins"][0]["id"] == bulletin.pk

    wb = load_workbook(BytesIO(bulletin_workbook(bulletin)))
    findings_sheet, cases_sheet = wb.worksheets[1], wb.worksheets[5]
    db_findings = Finding.objects.filter(status="confirmed", confirmed_at__date__gte=dt.date(2017, 5, 1),
                                         confirmed_at__date__lt=dt.date(2017, 6, 1)).count()  # fmt: skip
    db_opened = AccountabilityCase.objects.filter(opened_on__gte=dt.date(2017, 5, 1),
                                                  opened_on__lt=dt.date(2017, 6, 1)).count()  # fmt: skip
    assert db_findings == 3
    # Two opened by hand in May, and the May findings traced back (on commit) to the township's
    # contact leader and unit: 3 findings × 2 proposals.
    assert db_opened == 2 + 6
    totals = list(findings_sheet.iter_rows(values_only=True))[-1]
    assert totals[-1] == db_findings
    assert sum(v for v in totals[1:-1]) == db_findings
    case_totals = list(cases_sheet.iter_rows(values_only=True))[-1]
    assert case_totals[1] == db_opened
    # Text that could run as a formula is escaped; names from users stay readable.
    opened_sheet = wb.worksheets[6]
    rows = [row for row in opened_sheet.iter_rows(min_row=4) if row[2].value.startswith("=1+1")]
    assert [row[6].value for row in rows] == ["-测试", "-测试"]
    assert all(
        (row[2].quotePrefix, row[6].quotePrefix, row[6].data_type) == (True, True, "s") for row in rows
    )
    assert all(isinstance(row[0].value, dt.datetime) for row in rows)  # the date opened is a date
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    # Printing: A4 and the header row repeated on every page.
    assert findings_sheet.print_title_rows == "$3:$3"
    assert str(findings_sheet.page_setup.paperSize) == findings_sheet.PAPERSIZE_A4  # 9 = A4


@pytest.mark.django_db
def test_regenerating_needs_an_explicit_action_and_keeps_the_earlier_version(xiuwu_org, supervisor):
    may_data(xiuwu_org)
    monthly_bulletin("2017-05")
    v1 = Bulletin.objects.get(month=dt.date(2017, 5, 1))
    v2 = bulletin_regenerate(bulletin=v1, reason="补录两条省通报问题", actor=supervisor)
    v1.refresh_from_db()
    assert (v1.version, v1.status) == (1, BulletinStatus.SUPERSEDED)
    assert (v2.version, v2.status, v2.reason) == (2, BulletinStatus.PUBLISHED, "补录两条省通报问题")
    # The scheduled job does not touch a published month.
    monthly_bulletin("2017-05")
    assert Bulletin.objects.filter(month=dt.date(2017, 5, 1)).count() == 2


def test_beat_schedule_has_the_monthly_and_daily_entries():
    monthly = settings.CELERY_BEAT_SCHEDULE["accountability-monthly-bulletin"]
    assert monthly["task"] == monthly_bulletin.name
    assert monthly["schedule"] == crontab(day_of_month=1, hour=2, minute=0)
    assert monthly["schedule"].day_of_month == {1}
    daily = settings.CELERY_BEAT_SCHEDULE["accountability-daily"]
    assert daily["task"] == daily_accountability.name
    assert daily["schedule"].hour == {1}
    assert daily["schedule"].day_of_month == set(range(1, 32))
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


@pytest.mark.django_db
def test_task_defaults_to_the_previous_month_in_shanghai(xiuwu_org, monkeypatch):
    from accountability import tasks

    standard_scheme()
    monkeypatch.setattr(tasks, "today", lambda: dt.date(2017, 6, 1))
    result = monthly_bulletin()
    assert result["month"] == "2017-05-01"
