from celery import shared_task

from .services import figures_refresh


@shared_task(name="dashboard.tasks.refresh_figures")
def refresh_figures() -> dict:
    """Rebuild the dashboard's aggregates. Idempotent: running it twice gives the same figures."""
    refresh = figures_refresh()
    return {"rows": refresh.rows, "duration_ms": refresh.duration_ms}
