"""Settings of the Celery workers the fault tests start as subprocesses (never used in production).

The test settings, plus: the queue the test chose, a short visibility timeout when asked (so a
worker started after a kill -9 of the whole worker gets the lost message back within seconds),
INFO logs for the artifact file, and FAULT_INJECTION, which lets tests/faults/worker_app.py arm
its pause points.
"""

import os

from config.settings.test import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ["FUPIN_FAULT_QUEUE"]
_visibility = os.environ.get("FUPIN_FAULT_VISIBILITY")
if _visibility:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": int(_visibility),
        "unacked_restore_interval": 1,
    }
LOGGING["root"]["level"] = "INFO"  # noqa: F405
FAULT_INJECTION = True
