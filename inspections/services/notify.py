"""In-app notifications to units, and e-mail to the unit's users where e-mail is configured."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Unit, User

from ..models import Notification

logger = logging.getLogger(__name__)


def email_configured() -> bool:
    """E-mail goes out only when a real mail host is configured (EMAIL_HOST other than Django's default)."""
    host = getattr(settings, "EMAIL_HOST", "")
    return bool(host) and host != "localhost"


def notify(
    *, unit: Unit, kind: str, message: str, url: str = "", item=None, plan=None, dedupe_key: str | None = None
) -> Notification | None:
    """Notify a unit. With `dedupe_key`, a second call for the same event adds nothing (returns None)."""
    if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                unit=unit, region_id=unit.region_id, kind=kind, message=message, url=url, item=item, plan=plan,
                dedupe_key=dedupe_key,
            )  # fmt: skip
    except IntegrityError:
        if dedupe_key:  # a concurrent run notified first
            return None
        raise
    if email_configured():
        transaction.on_commit(lambda: _email(note.pk))
    return note


def _email(notification_id: int) -> None:
    note = Notification.objects.select_related("unit").get(pk=notification_id)
    recipients = list(
        User.objects.filter(officer__unit_id=note.unit_id, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    try:
        send_mail(
            subject=f"[{note.get_kind_display()}] {note.unit}",
            message=f"{note.message}\n{note.url}",
            from_email=None,
            recipient_list=recipients,
        )
    except OSError:
        logger.exception("notification %s: e-mail failed", notification_id)
        return
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification
