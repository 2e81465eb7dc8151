"""What waits for a county clerk (core.inbox): households that meet every exit condition and have no
exit procedure yet (应退未退)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.inbox import WorkItem

from .selectors.candidates import exit_due_count


def items(user) -> list[WorkItem]:
    # Whoever keeps the files starts the exit procedure (the county clerk), not those who read them.
    if not user.has_perm("households.change_household") or user.is_read_only:
        return []
    return [
        WorkItem("households-exit-due", _("Households meeting the exit conditions without a procedure"),
                 reverse("households:exit_due"), exit_due_count(actor=user)),
    ]  # fmt: skip
