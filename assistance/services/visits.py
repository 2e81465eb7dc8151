"""走访记录 and 驻村: a responsible officer's visit to a household, a first secretary's or
work-team member's day in the village — both sent from a phone, possibly long after they were
written offline. Each carries the phone's `client_uuid`: sending it again (a lost answer, a retry)
returns the row already saved instead of a second one."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError
from core.models import Region, User
from core.scoping import ensure_can_write, in_scope
from core.uploads import PHOTOS, delete_stored, store_upload
from households.models import Household

from .. import selectors
from ..models import PresenceDay, Satisfaction, TeamMember, VillageTeam, Visit
from .common import _ensure_household_writable


def _uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise DomainError(_("Client id: not a valid UUID."), field="client_uuid") from None


def _check_day(day: dt.date, field: str, label: str) -> None:
    if day is None:
        raise DomainError(_("%(label)s: required.") % {"label": label}, field=field)
    if day > timezone.localdate():
        raise DomainError(_("%(label)s: cannot be in the future.") % {"label": label}, field=field)
    if day.year < 2013:
        raise DomainError(_("%(label)s: not before 2013.") % {"label": label}, field=field)


def _own(model, client_uuid, actor):
    """The row this phone already sent (same client id, same person), or None."""
    row = model.objects.filter(client_uuid=client_uuid).first()
    if row is not None and row.recorded_by_id != actor.pk:
        raise ConflictError(_("Client id: already used by another record."), field="client_uuid")
    return row


@transaction.atomic
def visit_record(
    *, actor: User, household: Household, client_uuid, visited_on: dt.date, activities: str,
    satisfaction: str, household_said: str = "",
) -> tuple[Visit, bool]:  # fmt: skip
    """The responsible officer's visit. Returns (visit, created)."""
    client_uuid = _uuid(client_uuid)
    existing = _own(Visit, client_uuid, actor)
    if existing is not None:
        return existing, False
    _ensure_household_writable(actor, household)
    if not actor.officer_id:
        raise DomainError(_("Your account is not linked to an officer: ask the county administrator."))
    if household.assistance_officer_id != actor.officer_id:
        raise DomainError(_("Household: you are not its responsible officer."), field="household")
    _check_day(visited_on, "visited_on", _("Visit date"))
    activities = (activities or "").strip()
    if not activities:
        raise DomainError(_("What was done: required."), field="activities")
    if satisfaction not in Satisfaction.values:
        raise DomainError(_("Satisfaction: choose one of the answers."), field="satisfaction")
    visit = Visit(
        client_uuid=client_uuid, household=household, officer_id=actor.officer_id, visited_on=visited_on,
        activities=activities[:4000], household_said=(household_said or "").strip()[:4000],
        satisfaction=satisfaction, recorded_by=actor,
    )  # fmt: skip
    try:
        with actor_context(actor), transaction.atomic():
            visit.save()
    except IntegrityError:  # the same phone's retry won the race
        return Visit.objects.get(client_uuid=client_uuid), False
    return visit, True


@transaction.atomic
def visit_photo_attach(*, visit: Visit, actor: User, upload) -> Visit:
    """The visit's photo (one): checked and stored through core.uploads. Sending it again after it
    arrived changes nothing (the phone's retry)."""
    if visit.recorded_by_id != actor.pk:
        raise DomainError(_("Photo: only who recorded the visit may add its photo."), field="photo")
    ensure_can_write(actor, visit.household.village_id)
    stored = store_upload(
        upload, kinds=PHOTOS, folder=f"assistance/visits/{visit.household_id}", field="photo"
    )
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.photo:  # the phone's retry after the photo arrived: checked, then dropped
        delete_stored(stored.path)
        return visit
    visit.photo = stored.path
    visit.photo_name = stored.original_name
    try:
        with actor_context(actor):
            visit.save(update_fields=["photo", "photo_name", "updated_at"])
    except Exception:
        delete_stored(stored.path)
        raise
    return visit


def _check_presence(actor: User, team: VillageTeam, village: Region, day: dt.date) -> None:
    officer_id = actor.officer_id
    if not officer_id:
        raise DomainError(_("Your account is not linked to an officer: ask the county administrator."))
    member = (
        team.first_secretary_id == officer_id
        or TeamMember.objects.filter(team=team, officer_id=officer_id).exists()
    )
    if not member:
        raise DomainError(
            _("Work team: you are not its first secretary or one of its members."), field="team"
        )
    if not team.served.filter(village=village).exists():
        raise DomainError(_("Village: the team does not serve this village."), field="village")
    if not in_scope(actor, village.code):
        raise DomainError(_("Village: outside your region."), field="village")
    if day < team.start_date or (team.end_date is not None and day > team.end_date):
        raise DomainError(_("Day: the team was not stationed then."), field="day")


@transaction.atomic
def presence_record(
    *, actor: User, client_uuid, team: VillageTeam, village: Region, day: dt.date, note: str = ""
) -> tuple[PresenceDay, bool]:
    """A day the actor (first secretary or member of `team`) spent in `village`. Returns (row, created)."""
    client_uuid = _uuid(client_uuid)
    existing = _own(PresenceDay, client_uuid, actor)
    if existing is not None:
        return existing, False
    ensure_can_write(actor)
    _check_day(day, "day", pgettext("date", "Day"))
    _check_presence(actor, team, village, day)
    if PresenceDay.objects.filter(officer_id=actor.officer_id, day=day).exists():
        raise ConflictError(
            _("Day: %(day)s is already recorded.") % {"day": f"{day.year}年{day.month}月{day.day}日"},
            field="day",
        )
    row = PresenceDay(
        client_uuid=client_uuid, team=team, officer_id=actor.officer_id, village=village, day=day,
        note=(note or "").strip()[:300], recorded_by=actor,
    )  # fmt: skip
    try:
        with actor_context(actor), transaction.atomic():
            row.save()
    except IntegrityError:
        again = PresenceDay.objects.filter(client_uuid=client_uuid).first()
        if again is not None:
            return again, False
        raise ConflictError(_("Day: already recorded."), field="day") from None
    return row, True


def my_presence_teams(*, actor: User):
    return selectors.teams_of_officer(officer_id=actor.officer_id)
