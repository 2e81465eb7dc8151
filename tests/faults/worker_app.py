"""The Celery app of the fault tests' workers: the project's app plus test-only pause points.

`celery -A tests.faults.worker_app worker` with DJANGO_SETTINGS_MODULE=tests.faults.worker_settings.
With FUPIN_FAULT_POINT set, the worker process running a task stops at that point once — writes
its pid to FUPIN_FAULT_MARKER, then sleeps — so the test can kill -9 it in the middle of the work:

- ``bulletin``: the monthly bulletin row is inserted, its transaction not yet committed;
- ``import``: an Excel import is saving households, FUPIN_FAULT_AFTER_CHUNKS chunks already saved
  (imports.CHUNK is lowered to FUPIN_FAULT_CHUNK so a small file has several chunks).

Nothing here is imported by the project; production code has no pause point.
"""

import os
import time
from pathlib import Path

from celery.signals import worker_process_init

from config.celery import app

__all__ = ["app"]


def pause_once() -> None:
    """Stop here the first time any worker reaches the point (the marker file says it was reached)."""
    marker = Path(os.environ["FUPIN_FAULT_MARKER"])
    tmp = marker.with_name(f"{marker.name}.{os.getpid()}")
    tmp.write_text(str(os.getpid()))
    try:
        os.link(tmp, marker)  # atomic: only one process ever pauses
    except FileExistsError:
        return
    finally:
        tmp.unlink()
    time.sleep(float(os.environ.get("FUPIN_FAULT_SLEEP", "90")))


@worker_process_init.connect
def arm(**kwargs):
    from django.conf import settings

    point = os.environ.get("FUPIN_FAULT_POINT")
    if not point or not getattr(settings, "FAULT_INJECTION", False):
        return
    if point == "bulletin":
        from django.db.models.signals import post_save

        from accountability.models import Bulletin

        def inserted(sender, instance, created, **kw):
            if created:  # inside bulletin_generate's transaction
                pause_once()

        post_save.connect(inserted, sender=Bulletin, weak=False)
    elif point == "import":
        from households import imports

        imports.CHUNK = int(os.environ.get("FUPIN_FAULT_CHUNK", "25"))
        after = int(os.environ.get("FUPIN_FAULT_AFTER_CHUNKS", "2"))
        original = imports._commit
        calls = {"n": 0}

        def commit(*args, **kw):
            if calls["n"] == after:
                pause_once()
            calls["n"] += 1
            return original(*args, **kw)

        imports._commit = commit
    else:
        raise ValueError(f"unknown FUPIN_FAULT_POINT {point!r}")
