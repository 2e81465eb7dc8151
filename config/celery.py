import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("fupin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs):
    """Workers log through settings.LOGGING (with its ID-number mask) instead of Celery's own
    handlers, which would replace ours on the root logger and print task errors unmasked."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
