"""The public notice board (公示栏): complaints from villagers, and the administrator's switch."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.models import Region, Role
from core.transitions import record_created
from households.models import Household, ProcedureCase
from households.services import public_notice_objection_raise

from ..models import (
    Finding,
    FindingCategory,
    FindingSource,
    FindingStatus,
    InspectionGroup,
    NotificationKind,
    PublicBoardSettings,
)
from .notify import notify


@transaction.atomic
def complaint_submit(
    *,
    village: Region,
    content: str,
    contact: str = "",
    household: Household | None = None,
    case_id: int | None = None,
) -> Finding:
    """A villager's objection or complaint from the board, without an account.

    It becomes a pending finding (source: public complaint) that inspectors verify; an objection
    to a household in public notice is also passed to the households procedure.
    """
    content = (content or "").strip()
    if len(content) < 5:
        raise DomainError(_("Describe the objection or complaint (at least 5 characters)."), field="content")
    if len(content) > 2000:
        raise DomainError(_("Keep it under 2000 characters."), field="content")
    if household is not None and household.village_id != village.code:
        raise DomainError(_("Unknown household."), field="household")
    case = None
    if case_id:
        case = ProcedureCase.objects.filter(pk=case_id, household__village_id=village.code).first()
        if case is None:
            raise DomainError(_("Unknown public notice."), field="case")
    finding = Finding.objects.create(
        procedure_case=case,
        source=FindingSource.PUBLIC_COMPLAINT,
        category=FindingCategory.EXIT if case_id else FindingCategory.POLICY,
        description=content,
        region=village,
        household=household,
        status=FindingStatus.PENDING,
        complainant_contact=(contact or "").strip()[:100],
        source_reference=_("Public notice board") + (f" #{case_id}" if case_id else ""),
    )
    record_created(finding, actor=None)  # a villager without an account
    if case is not None:  # the objection stops the notice (households' procedure)
        public_notice_objection_raise(case=case, reason=content, contact=contact, source="public_board")
    for group in InspectionGroup.objects.filter(is_active=True).select_related("unit"):
        notify(
            unit=group.unit, kind=NotificationKind.COMPLAINT,
            message=_("Public complaint from %(village)s: %(text)s") % {"village": village.name, "text": content[:80]},
            url=reverse("inspections:finding_detail", args=[finding.pk]),
        )  # fmt: skip
    return finding


def public_board_set(*, actor, enabled: bool) -> PublicBoardSettings:
    if not (actor.is_superuser or actor.has_role(Role.ADMIN)):
        raise DomainError(_("Only an administrator switches the public board."), field="enabled")
    board = PublicBoardSettings.current()
    board.enabled = enabled
    board.save()
    return board
