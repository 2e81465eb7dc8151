"""Faults the foundation must survive: a lost worker, Redis down.

Still to come with the apps (see SECURITY.md): kill -9 of a worker in the middle of the monthly
bulletin and of an Excel import, and PostgreSQL restarting under load.
"""

import time

import pytest
from celery import Celery
from django.conf import settings

from config.celery import app

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_celery_acknowledges_late_and_takes_one_task_at_a_time():
    """A task is acknowledged when it ends, not when it starts: a worker that dies mid-task
    (kill -9, OOM, a lost machine) leaves it on the queue for another worker, which re-runs it
    (tasks are idempotent). Prefetch 1: a dying worker holds no further tasks hostage."""
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_track_started is True
    assert app.conf.broker_connection_retry_on_startup is True
    assert app.conf.broker_url == settings.REDIS_URL


@pytest.mark.django_db
def test_redis_down_healthz_says_so_and_pages_still_work(client, clerk, xiuwu_officer, settings):
    settings.REDIS_URL = DEAD_REDIS
    settings.CELERY_BROKER_URL = DEAD_REDIS
    settings.CELERY_RESULT_BACKEND = DEAD_REDIS
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json() == {"status": "degraded", "database": "ok", "redis": "down"}
    client.force_login(clerk)
    started = time.monotonic()
    assert client.get("/").status_code == 200
    assert client.get("/org/officers/").status_code == 200
    assert client.get(f"/org/officers/{xiuwu_officer.pk}/").status_code == 200
    assert client.get("/api/v1/officers/").status_code == 200
    assert time.monotonic() - started < 10  # nothing waited on Redis


def test_queueing_a_task_with_redis_down_fails_fast():
    """A page that queues work (an import, a bulletin) gets an error in seconds, not a hang."""
    dead = Celery("fupin-dead-broker")
    dead.config_from_object("django.conf:settings", namespace="CELERY")
    dead.conf.broker_url = DEAD_REDIS
    started = time.monotonic()
    with pytest.raises(Exception) as failure:
        dead.send_task("core.tasks.ping", args=["x"])
    assert time.monotonic() - started < 10
    assert "connect" in str(failure.value).lower() or "refused" in str(failure.value).lower()
