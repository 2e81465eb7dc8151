import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("fupin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Queues per kind of work, so a long import never delays the bulletin (README "Deployment": which
# workers consume which queue). Every task is listed here (a test walks the registered tasks); each
# queue is named after CELERY_TASK_DEFAULT_QUEUE, so a test run's own queue name gives it its own
# queue of every kind.
IMPORTS, REPORTS, EXPORTS, NOTIFICATIONS, DEFAULT = (
    "imports",
    "reports",
    "exports",
    "notifications",
    "default",
)
KINDS = (IMPORTS, REPORTS, EXPORTS, NOTIFICATIONS, DEFAULT)
TASK_KINDS = {
    # Uploaded files worked through row by row: minutes for a county's workbook.
    "households.tasks.run_import": IMPORTS,
    "households.tasks.run_crosscheck": IMPORTS,
    # 一月一通报 and the figures the dashboard and the bulletin read.
    "accountability.tasks.monthly_bulletin": REPORTS,
    "dashboard.tasks.refresh_figures": REPORTS,
    # Daily jobs that flag what is overdue and tell the units concerned.
    "inspections.tasks.flag_overdue_rectifications": NOTIFICATIONS,
    "inspections.tasks.flag_missed_supervision_months": NOTIFICATIONS,
    "households.tasks.flag_ended_notices": NOTIFICATIONS,
    # Short housekeeping.
    "accountability.tasks.daily_accountability": DEFAULT,
    "households.tasks.purge_expired_imports": DEFAULT,
    "core.tasks.daily_housekeeping": DEFAULT,
    "core.tasks.ping": DEFAULT,
}


def queue_name(kind: str) -> str:
    """The queue of one kind of work: `fupin` (the default), `fupin.imports`, `fupin.reports`, …"""
    from django.conf import settings

    if kind not in KINDS:
        raise ValueError(f"unknown kind of work {kind!r}")
    default = settings.CELERY_TASK_DEFAULT_QUEUE
    return default if kind == DEFAULT else f"{default}.{kind}"


def all_queues() -> list[str]:
    """Every queue, for a worker that does all the work (`make run`, tests)."""
    return [queue_name(kind) for kind in KINDS]


def route_task(name, args, kwargs, options, task=None, **kw):
    """task_routes: the task's queue by its kind (a queue given when sending wins)."""
    return {"queue": queue_name(TASK_KINDS.get(name, DEFAULT))}


app.conf.task_routes = (route_task,)


@setup_logging.connect
def use_django_logging(**kwargs):
    """Workers log through settings.LOGGING (with its ID-number mask) instead of Celery's own
    handlers, which would replace ours on the root logger and print task errors unmasked."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
