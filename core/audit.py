"""Audit history: django-pghistory.

Chosen over django-simple-history because its history rows are written by PostgreSQL
triggers: raw SQL, bulk updates, COPY-based imports and Celery tasks are all captured,
not only `save()` calls, and each event is tied to a context row (who, which URL or task).
"""

from __future__ import annotations

import pghistory


def tracked(**kwargs):
    """Track inserts, updates and deletes of a model (who, when, before and after)."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs
    )


def actor_context(actor, **extra):
    """Attach the acting user to every history row written inside the block.

    Services call this so that Celery tasks, imports and management commands record
    who acted, exactly as web requests do through pghistory's middleware.
    """
    return pghistory.context(user=getattr(actor, "pk", None), **extra)
