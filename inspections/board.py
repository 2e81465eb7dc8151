"""Reads for the public notice board (公示栏). Everything here is shown without login, so every
value passes through a mask of core.pii: names keep their surname (`mask_name`), free text loses its
ID and mobile numbers (the template's `masked_public`), ID numbers are never read at all."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils import timezone

from core.pii import mask_name
from funds.selectors import village_fund_disclosure
from households.models import NOTICE_STEPS, CaseState, ProcedureCase

logger = logging.getLogger(__name__)


@dataclass
class Notice:
    case_id: int
    kind: str
    kind_label: str
    household_id: int
    head: str  # masked
    members: int
    notice_start: object
    notice_end: object


def notices_for_village(village_code: str) -> list[Notice]:
    """Households of the village now in public notice for entry or exit: the open cases whose last
    step is a notice step and whose notice period covers today."""
    today = timezone.localdate()
    cases = list(
        ProcedureCase.objects.filter(
            household__village_id=village_code, state=CaseState.OPEN, last_step__in=NOTICE_STEPS,
            notice_start__lte=today, notice_end__gte=today,
        ).select_related("household").order_by("notice_end", "id")
    )  # fmt: skip
    return [
        Notice(
            case_id=c.pk,
            kind=c.kind,
            kind_label=c.get_kind_display(),
            household_id=c.household_id,
            head=mask_name(c.household.head_name),
            members=c.household.member_count,
            notice_start=c.notice_start,
            notice_end=c.notice_end,
        )
        for c in cases
    ]


def fund_disclosure(village_code: str):
    """The village's public fund rows (`funds.selectors.village_fund_disclosure`): projects and amounts,
    no personal data; payments to persons are masked here anyway by the template filter `masked_public`.
    """
    try:
        return village_fund_disclosure(village_code=village_code)
    except Exception:  # the board must stay up even if the funds read fails
        logger.exception("village_fund_disclosure failed for %s", village_code)
        return None
