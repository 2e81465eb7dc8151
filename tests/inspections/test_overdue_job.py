"""The daily job flags overdue items once and notifies their units; it runs in a real worker."""

import datetime as dt

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.utils import timezone

from config.celery import all_queues, app
from inspections import services
from inspections.models import ItemStatus, Notification, NotificationKind, RectificationItem
from inspections.tasks import flag_overdue_rectifications
from tests.factories.inspections import RectificationItemFactory


@pytest.fixture
def late_items(xiuwu_office):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    late = RectificationItemFactory(deadline=yesterday, responsible_unit=xiuwu_office)
    late_submitted = RectificationItemFactory(
        deadline=yesterday, responsible_unit=xiuwu_office, status=ItemStatus.SUBMITTED, evidence_note="已整改"
    )
    on_time = RectificationItemFactory(deadline=timezone.localdate(), responsible_unit=xiuwu_office)
    return late, late_submitted, on_time


@pytest.mark.django_db
def test_running_twice_flags_once(late_items):
    late, _late_submitted, _on_time = late_items
    assert services.rectification_flag_overdue() == [late.pk]
    assert services.rectification_flag_overdue() == []
    assert list(
        RectificationItem.objects.filter(overdue_since__isnull=False).values_list("id", flat=True)
    ) == [late.pk]
    assert Notification.objects.filter(kind=NotificationKind.OVERDUE).count() == 1
    late.refresh_from_db()
    assert late.overdue_since == timezone.localdate()


@pytest.mark.django_db
def test_overdue_is_emailed_when_mail_is_configured(settings, late_items, xiuwu_office):
    from tests.factories.core import OfficerFactory, UserFactory

    settings.EMAIL_HOST = "smtp.example.org"
    officer = OfficerFactory(unit=xiuwu_office)
    UserFactory(officer=officer, email="office@example.org", region_id="410821000000")
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.rectification_flag_overdue()
    assert [m.to for m in mail.outbox] == [["office@example.org"]]
    assert Notification.objects.get(kind=NotificationKind.OVERDUE).emailed_at is not None


@pytest.mark.django_db
def test_no_email_without_mail_host(settings, late_items):
    settings.EMAIL_HOST = "localhost"
    services.rectification_flag_overdue()
    assert mail.outbox == []


@pytest.fixture
def celery_worker_real(transactional_db):
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, queues=all_queues(),
                      shutdown_timeout=10) as worker:  # fmt: skip
        yield worker


@pytest.mark.celery_worker
def test_daily_job_runs_in_a_real_worker_and_is_idempotent(celery_worker_real, regions):
    from tests.factories.inspections import county_office

    office = county_office("410821000000")
    late = RectificationItemFactory(
        deadline=timezone.localdate() - dt.timedelta(days=3), responsible_unit=office
    )
    first = flag_overdue_rectifications.delay().get(timeout=30)
    second = flag_overdue_rectifications.delay().get(timeout=30)
    assert first == {"flagged": 1, "ids": [late.pk]}
    assert second == {"flagged": 0, "ids": []}
    assert Notification.objects.filter(kind=NotificationKind.OVERDUE, item=late).count() == 1


def test_beat_entry_is_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["inspections-flag-overdue-rectifications"]
    assert entry["task"] == flag_overdue_rectifications.name
    assert entry["schedule"].hour == {1}
