"""Integration with the inspections app, which sits to our left and cannot import us.

When a finding is saved as confirmed, the rules (三个一律, 责任倒查) are applied once the
transaction commits — by then its responsible officers (a many-to-many set after the save) are
stored too. `finding_filed` is idempotent, so saving a finding again opens nothing new. The daily
job re-applies the rules to the last week's findings as a safety net (bulk updates send no signal).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save

from core.models import User
from inspections.models import Finding

from .services import finding_filed

logger = logging.getLogger(__name__)


def apply_rules_to_finding(finding_id: int) -> int:
    finding = Finding.objects.select_related("report").filter(pk=finding_id, status="confirmed").first()
    if finding is None:
        return 0
    actor = User.objects.filter(pk=finding.reported_by_id).first() if finding.reported_by_id else None
    cases = finding_filed(finding=finding, actor=actor)
    logger.info("finding %s: %s accountability case(s)", finding_id, len(cases))
    return len(cases)


def on_finding_saved(sender, instance, **kwargs) -> None:
    if getattr(instance, "status", None) != "confirmed":
        return
    finding_id = instance.pk
    transaction.on_commit(lambda: apply_rules_to_finding(finding_id))


def connect() -> None:
    from households.services.signoffs import month_published_asked

    from .services.bulletin_villages import month_published_answer

    # A township's sign-off of a month stands once the month's bulletin is published (issue 18.6).
    month_published_asked.connect(month_published_answer, dispatch_uid="accountability.month_published")
    post_save.connect(on_finding_saved, sender=Finding, dispatch_uid="accountability.finding_saved")
