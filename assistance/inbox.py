"""What waits for whoever assigns responsible officers (core.inbox): households needing assistance
that have none."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.inbox import WorkItem

from . import services
from .selectors import households_without_officer_count


def items(user) -> list[WorkItem]:
    if not user.has_perm(services.ASSIGN_PERMISSION) or user.is_read_only:
        return []
    return [
        WorkItem("assistance-no-officer", _("Households without a responsible officer"),
                 reverse("assistance:officer_list"), households_without_officer_count(actor=user)),
    ]  # fmt: skip
