"""Reads for the public notice board (公示栏). Everything here is shown without login, so every
value passes through a mask of core.pii: names keep their surname (`mask_name`), free text loses its
ID and mobile numbers (the template's `masked_public`), ID numbers are never read at all."""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

from django.utils import timezone

from core.pii import mask_name

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
    are masked here anyway by the template filter `masked_public`.
    """
    selector = _optional("funds.selectors", "village_fund_disclosure")
    if selector is None:
        return None
    try:
        return selector(village_code=village_code)
    except Exception:  # the board must stay up even if the funds read fails
        logger.exception("village_fund_disclosure failed for %s", village_code)
        return None
