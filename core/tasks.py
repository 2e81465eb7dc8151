import logging

from celery import shared_task
from django.utils import timezone

from .models import ApiToken

logger = logging.getLogger(__name__)


@shared_task(name="core.tasks.ping")
def ping(value: str = "pong") -> dict:
    """Round trip through the broker and a worker, with a database read (health and tests)."""
    from .models import Region

    return {"echo": value, "regions": Region.objects.count()}


@shared_task(name="core.tasks.daily_housekeeping")
def daily_housekeeping() -> dict:
    """Daily: drop API tokens that expired more than 30 days ago. Idempotent."""
    cutoff = timezone.now() - timezone.timedelta(days=30)
    deleted, _ = ApiToken.objects.filter(expires_at__lt=cutoff).delete()
    logger.info("daily_housekeeping: removed %s expired API tokens", deleted)
    return {"expired_tokens_removed": deleted}
