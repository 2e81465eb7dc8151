"""Re-verification campaigns (再核实、再复查, 档卡一户一户校准): one check per household in a region;
each check records findings, and corrections go through the household services so history keeps them."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError
from core.models import Region
from core.regions import prefix_from_code
from core.scoping import ensure_can_write
from core.transitions import can_transition, record_created, transition

from ..models import (
    ACTIVE_STATUSES,
    CampaignStatus,
    CheckStatus,
    Household,
    VerificationCampaign,
    VerificationCheck,
)
from ..validation import HOUSEHOLD_FIELDS
from .registry import household_update

CORRECTABLE = tuple(f for f in HOUSEHOLD_FIELDS if f not in ("file_number", "assistance_officer"))

_CREATE_CHECKS_SQL = """
INSERT INTO households_verificationcheck
    (created_at, updated_at, campaign_id, household_id, village_id, status, findings, corrections)
SELECT now(), now(), %(campaign)s, h.id, h.village_id, 'pending', '', '{}'::jsonb
FROM households_household h
WHERE h.village_id LIKE %(prefix)s AND h.status = ANY(%(active)s)
ON CONFLICT DO NOTHING
"""


@transaction.atomic
def campaign_create(*, actor, name: str, region: Region, deadline=None) -> VerificationCampaign:
    ensure_can_write(actor, region.code)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the campaign a name."), field="name")
    with actor_context(actor):
        campaign = VerificationCampaign.objects.create(
            name=name, region=region, deadline=deadline, created_by=actor
        )
        record_created(campaign, actor=actor)
        # One INSERT … SELECT: a county of tens of thousands of files costs one statement.
        with connection.cursor() as cursor:
            cursor.execute(
                _CREATE_CHECKS_SQL,
                {
                    "campaign": campaign.pk,
                    "prefix": prefix_from_code(region.code) + "%",
                    "active": list(ACTIVE_STATUSES),
                },
            )
    return campaign


@transaction.atomic
def campaign_check_record(
    *, check: VerificationCheck, actor, findings: str, corrections: dict | None = None
) -> VerificationCheck:
    """Record one household's check. Corrections are applied to the file (history keeps before/after)."""
    check = VerificationCheck.objects.select_for_update().select_related("campaign").get(pk=check.pk)
    ensure_can_write(actor, check.household.village_id)
    if check.campaign.status != CampaignStatus.OPEN:
        raise ConflictError(_("The campaign is closed."))
    corrections = {k: v for k, v in (corrections or {}).items() if v not in (None, "")}
    unknown = set(corrections) - set(CORRECTABLE)
    if unknown:
        raise DomainError(
            _("These fields cannot be corrected here: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
            field="corrections",
        )
    findings = (findings or "").strip()
    if corrections and not findings:
        raise DomainError(_("Describe what was found before correcting the file."), field="findings")
    household = Household.objects.get(pk=check.household_id)
    changed = {}
    for field, value in corrections.items():
        before = getattr(household, field)
        if before != value:
            changed[field] = [before, value]
    with actor_context(actor, campaign=check.campaign_id):
        if changed:
            household_update(household=household, actor=actor, data={f: v[1] for f, v in changed.items()})
        to_status = CheckStatus.CORRECTED if changed else CheckStatus.CONFIRMED
        recorded = {
            "findings": findings,
            "corrections": {f: [str(b), str(a)] for f, (b, a) in changed.items()},
            "checked_by": actor,
            "checked_at": timezone.now(),
        }
        if to_status != check.status:
            transition(check, to_status, actor=actor, note=findings, updates=recorded)
        else:
            # Recorded again with the same outcome: the findings change, the status does not.
            for field, value in recorded.items():
                setattr(check, field, value)
            check.save(update_fields=[*recorded, "updated_at"])
    return check


@transaction.atomic
def campaign_close(*, campaign: VerificationCampaign, actor) -> VerificationCampaign:
    ensure_can_write(actor, campaign.region_id)
    campaign = VerificationCampaign.objects.select_for_update().get(pk=campaign.pk)
    if not can_transition(campaign, CampaignStatus.CLOSED):
        raise ConflictError(_("The campaign is already closed."))
    return transition(campaign, CampaignStatus.CLOSED, actor=actor)
