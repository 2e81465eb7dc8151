"""Each kind of work has its own queue (issue 25.3): a long import never waits in front of the bulletin."""

from django.conf import settings

from config.celery import (
    DEFAULT,
    EXPORTS,
    IMPORTS,
    KINDS,
    NOTIFICATIONS,
    REPORTS,
    TASK_KINDS,
    all_queues,
    app,
    queue_name,
)


def _registered() -> set[str]:
    app.loader.import_default_modules()  # every app's tasks module, as a worker loads them
    return {name for name in app.tasks if not name.startswith("celery.")}


def _queue_of(name: str) -> str:
    return app.amqp.router.route({}, name, (), {})["queue"].name


def test_every_registered_task_is_given_its_kind_of_work():
    registered = _registered()
    assert registered, "no task registered: the walk proves nothing"
    unrouted = sorted(registered - set(TASK_KINDS))
    assert not unrouted, f"tasks without a kind of work (add them to config.celery.TASK_KINDS): {unrouted}"
    stale = sorted(set(TASK_KINDS) - registered)
    assert not stale, f"config.celery.TASK_KINDS names tasks that no longer exist: {stale}"


def test_each_task_is_sent_to_the_queue_of_its_kind():
    for name in _registered():
        assert _queue_of(name) == queue_name(TASK_KINDS[name]), name
    assert _queue_of("households.tasks.run_import") == f"{settings.CELERY_TASK_DEFAULT_QUEUE}.imports"
    assert _queue_of("households.tasks.run_crosscheck") == f"{settings.CELERY_TASK_DEFAULT_QUEUE}.imports"
    assert (
        _queue_of("accountability.tasks.monthly_bulletin") == f"{settings.CELERY_TASK_DEFAULT_QUEUE}.reports"
    )
    assert _queue_of("dashboard.tasks.refresh_figures") == f"{settings.CELERY_TASK_DEFAULT_QUEUE}.reports"
    assert _queue_of("inspections.tasks.flag_overdue_rectifications").endswith(".notifications")
    assert _queue_of("core.tasks.ping") == settings.CELERY_TASK_DEFAULT_QUEUE


def test_an_import_and_the_bulletin_never_share_a_queue():
    assert _queue_of("households.tasks.run_import") != _queue_of("accountability.tasks.monthly_bulletin")
    assert len(set(all_queues())) == len(KINDS) == 5
    assert {IMPORTS, REPORTS, EXPORTS, NOTIFICATIONS, DEFAULT} == set(KINDS)


def test_a_queue_given_when_sending_wins_over_the_route():
    """The fault tests send tasks to a queue of their own by name."""
    route = app.amqp.router.route({"queue": "elsewhere"}, "households.tasks.run_import", (), {})
    assert route["queue"].name == "elsewhere"


def test_this_test_run_has_its_own_queue_of_every_kind():
    default = settings.CELERY_TASK_DEFAULT_QUEUE
    assert default.startswith("fupin-test-")
    assert all(q == default or q.startswith(f"{default}.") for q in all_queues())
