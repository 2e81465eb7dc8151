"""In-app notifications to units, and the public notice board's switch."""

from __future__ import annotations

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region, Unit

from .ledger import RectificationItem
from .plans import VisitPlan


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("rectification assigned")
    SENT_BACK = "sent_back", _("rectification sent back")
    OVERDUE = "overdue", _("rectification overdue")
    CLOSED = "closed", _("rectification closed")
    VISIT_FILED = "visit_filed", _("visit report filed")
    PLAN_DRAWN = "plan_drawn", _("covert visit plan drawn")
    PROBLEM_LIST = "problem_list", _("province problem list to answer")
    COMPLAINT = "complaint", _("public complaint received")
    VISIT_MISSED = "visit_missed", _("month without a covert visit")
    ANSWER_REVIEWED = "answer_reviewed", _("problem answer reviewed")


class Notification(models.Model):
    """An in-app message to a unit (every user of the unit's region with the permission sees it)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    message = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    item = models.ForeignKey(
        RectificationItem, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # Notifications about a plan stay as secret as the plan (see selectors.notification_list).
    plan = models.ForeignKey(VisitPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # Set for events that must be notified once (e.g. "overdue:<item id>"): a re-run adds nothing.
    dedupe_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="notification_region_idx"),
        ]

    def __str__(self) -> str:
        return self.message[:40]


class PublicBoardSettings(models.Model):
    """The administrator's switch for the public notice board (公示栏). One row."""

    enabled = models.BooleanField(_("public notice board enabled"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("public notice board settings")
        verbose_name_plural = _("public notice board settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="publicboard_single_row")]

    def __str__(self) -> str:
        return str(_("on")) if self.enabled else str(_("off"))

    @classmethod
    def current(cls) -> PublicBoardSettings:
        obj, _created = cls.objects.get_or_create(id=1)
        return obj
