"""What waits for an inspector or a responsible unit (core.inbox): a report to file, rectification
items overdue or due within a week, problem lists to answer and "not present here" answers to review."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.inbox import WorkItem
from core.scoping import scope

from .models import ItemStatus, ProblemListRecipient, is_city_reviewer
from .models.problem_lists import OWED_STATUSES
from .selectors import answers_awaiting_review, item_list

DUE_SOON_DAYS = 7


def items(user) -> list[WorkItem]:
    out = []
    writes = not user.is_read_only
    if user.has_perm("inspections.add_visitreport") and writes:
        out.append(
            WorkItem("inspections-file", _("File an inspection report"), reverse("inspections:report_file"))
        )
    if user.has_perm("inspections.change_rectificationitem") and writes:  # who submits or closes items
        ledger = reverse("inspections:item_list")
        open_items = item_list(actor=user, filters={"status": ItemStatus.OPEN})
        overdue = open_items.filter(overdue_since__isnull=False).count()
        out.append(WorkItem("inspections-overdue", _("Rectification items overdue"), f"{ledger}?overdue=1",
                            overdue, urgent=True))  # fmt: skip
        today = timezone.localdate()
        soon = open_items.filter(
            overdue_since__isnull=True, deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
        )
        out.append(WorkItem("inspections-due", _("Rectification items due within a week"),
                            f"{ledger}?status=open", soon.count()))  # fmt: skip
    lists = reverse("inspections:problem_list_list")
    if user.has_perm("inspections.change_problemanswer") and writes:
        owed = (
            scope(ProblemListRecipient.objects.filter(problem_list__sent_at__isnull=False), actor=user,
                  field="region_id")
            .filter(answers__status__in=OWED_STATUSES)
            .distinct()
            .count()
        )  # fmt: skip
        out.append(WorkItem("inspections-answer", _("Problem lists to answer"), lists, owed))
    if is_city_reviewer(user) and user.has_perm("inspections.change_provinceproblemlist") and writes:
        out.append(WorkItem("inspections-absent", _("“Not present here” answers to review"), lists,
                            answers_awaiting_review(actor=user).count()))  # fmt: skip
    return out
