"""What waits for the discipline commission and the organisation department (core.inbox): proposed
cases to decide — those past their decision deadline first — and appeals against annual grades."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.inbox import WorkItem

from . import selectors
from .models import AppealStatus, CaseStatus
from .periods import today
from .selectors.annual import appeal_list


def items(user) -> list[WorkItem]:
    out = []
    if user.has_perm("accountability.decide_accountabilitycase") and not user.is_read_only:
        url = reverse("accountability:case_list")
        proposed = selectors.case_list(actor=user, status=CaseStatus.PROPOSED)
        late = proposed.filter(selectors.decision_deadline_passed(today())).count()
        out.append(WorkItem("cases-late", _("Proposed cases past their decision deadline"), f"{url}?overdue=1",
                            late, urgent=True))  # fmt: skip
        out.append(WorkItem("cases-proposed", _("Proposed cases to decide"), f"{url}?status=proposed",
                            proposed.count() - late))  # fmt: skip
    if user.has_perm("accountability.decide_gradeappeal") and not user.is_read_only:
        # Listed on the same home page, each with its decision form (panels.appeals_to_decide).
        lodged = appeal_list(actor=user, status=AppealStatus.LODGED).count()
        out.append(
            WorkItem("appeals", _("Appeals against annual grades to decide"), "#appeals-to-decide", lodged)
        )
    return out
