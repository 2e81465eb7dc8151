"""A task goes through Redis to a real worker and its result comes back."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from config.celery import all_queues, app
from core.tasks import daily_housekeeping, ping


@pytest.fixture
def celery_worker_real(transactional_db):
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, queues=all_queues(),
                      shutdown_timeout=10) as worker:  # fmt: skip
        yield worker


@pytest.mark.celery_worker
def test_task_round_trip_through_redis_worker(celery_worker_real, regions):
    assert app.conf.broker_url.startswith("redis://")
    from core.models import Region

    result = ping.delay("你好")
    assert result.get(timeout=20) == {"echo": "你好", "regions": Region.objects.count()}


def test_beat_schedule_defined_in_code():
    entry = settings.CELERY_BEAT_SCHEDULE["daily-housekeeping"]
    assert entry["task"] == daily_housekeeping.name
    assert entry["schedule"].hour == {1}
