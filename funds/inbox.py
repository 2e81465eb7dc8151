"""What waits for a finance officer (core.inbox): requests for their check — never their own — and
household payments the bank returned."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.inbox import WorkItem

from .models import RequestStatus
from .selectors import request_list


def items(user) -> list[WorkItem]:
    out = []
    url = reverse("funds:request_list")
    if user.has_perm("funds.approve_disbursementrequest") and not user.is_read_only:
        waiting = request_list(actor=user, status=RequestStatus.PENDING).exclude(maker=user).count()
        out.append(WorkItem("funds-check", _("Payment requests waiting for your check"), f"{url}?status=pending",
                            waiting))  # fmt: skip
    if user.has_perm("funds.add_disbursementrequest") and not user.is_read_only:  # the maker pays again
        returned = request_list(actor=user, status=RequestStatus.FAILED).count()
        out.append(WorkItem("funds-returned", _("Household payments returned by the bank"),
                            f"{url}?status=failed", returned, urgent=True))  # fmt: skip
    return out
