"""Reads for the public notice board (公示栏). Everything here is shown without login, so every
value passes through a mask: names keep their first character, phone numbers their last four,
ID numbers are never read at all."""

from __future__ import annotations

import importlib
import logging
import re
from dataclasses import dataclass

from django.utils import timezone

logger = logging.getLogger(__name__)

ID_RE = re.compile(r"\d{17}[\dXx]")
PHONE_RE = re.compile(r"1\d{10}")


def mask_name(name: str) -> str:
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_text(text: str) -> str:
    """Remove ID and phone numbers from free text."""
    text = ID_RE.sub(lambda m: m.group(0)[:6] + "********" + m.group(0)[-4:], str(text or ""))
    return PHONE_RE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], text)


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


def _optional(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name, None)
    except ModuleNotFoundError:
        return None


def notices_for_village(village_code: str) -> list[Notice]:
    """Households of the village now in public notice for entry or exit.

    INTEGRATION POINT (households): when `households.selectors.public_notices_for_village(village_code=…)`
    exists it is used (it should return ProcedureCase rows with `household` loaded); until then the
    open cases whose last step is a notice step and whose notice period covers today are read here.
    """
    from households.models import NOTICE_STEPS, CaseState, ProcedureCase

    selector = _optional("households.selectors", "public_notices_for_village")
    if selector is not None:
        cases = list(selector(village_code=village_code))
    else:
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
    """INTEGRATION POINT (funds): `funds.selectors.village_fund_disclosure(village_code=…)`, if present.

    Expected to return public rows (project, amounts) with no personal data; payments to persons
    are masked here anyway by the template filter `board_mask`.
    """
    selector = _optional("funds.selectors", "village_fund_disclosure")
    if selector is None:
        return None
    try:
        return selector(village_code=village_code)
    except Exception:  # the board must stay up even if the funds read fails
        logger.exception("village_fund_disclosure failed for %s", village_code)
        return None
