"""Writes of 五个责任: assigning and ending dated responsibilities."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError, from_validation_error
from core.models import Officer, Region, Unit
from core.regions import in_line
from core.scoping import ensure_can_write

from ..models import Responsibility


@transaction.atomic
def responsibility_assign(
    *,
    kind: str,
    region: Region,
    valid_from: dt.date,
    officer: Officer | None = None,
    unit: Unit | None = None,
    valid_to: dt.date | None = None,
    duty: str = "",
    actor,
) -> Responsibility:
    """Record that `officer` / `unit` answers for `region` as `kind` from `valid_from`."""
    ensure_can_write(actor, region.code)
    if officer is None and unit is None:
        raise DomainError(_("Name the officer or the unit that holds the responsibility."), field="officer")
    # The officer or unit is a region the write touches too (issue 15.4): one of the region answered
    # for or of a region above it (a city leader 包县), never another county's.
    for field, holder in (("officer", officer), ("unit", unit)):
        if holder is not None and not in_line(holder.region_id, region.code):
            raise DomainError(
                _("The holder must belong to the region answered for or a region above it."), field=field
            )
    resp = Responsibility(
        kind=kind, region=region, officer=officer, unit=unit, valid_from=valid_from, valid_to=valid_to,
        duty=duty.strip(),
    )  # fmt: skip
    try:
        resp.full_clean()
    except ValidationError as exc:
        if any("responsibility_no_overlap" in str(m) for m in exc.messages):
            raise _overlap_error() from None
        raise from_validation_error(exc) from None
    try:
        with transaction.atomic(), actor_context(actor):
            resp.save()
    except IntegrityError as exc:
        if "responsibility_no_overlap" in str(exc):
            raise _overlap_error() from None
        raise
    return resp


def _overlap_error() -> ConflictError:
    return ConflictError(
        _("This officer or unit already holds this responsibility for this region in that period."),
        field="valid_from",
    )


@transaction.atomic
def responsibility_end(*, responsibility: Responsibility, valid_to: dt.date, actor) -> Responsibility:
    """End an assignment on `valid_to` (its last day). History keeps who ended it and when."""
    ensure_can_write(actor, responsibility.region_id)
    resp = Responsibility.objects.select_for_update().get(pk=responsibility.pk)
    if valid_to < resp.valid_from:
        raise DomainError(_("The last day cannot be before the first day."), field="valid_to")
    if resp.valid_to is not None and resp.valid_to <= valid_to:
        raise DomainError(_("This responsibility already ended on %(day)s.") % {"day": resp.valid_to},
                          field="valid_to")  # fmt: skip
    resp.valid_to = valid_to
    try:
        resp.full_clean()
    except ValidationError as exc:
        raise from_validation_error(exc) from None
    with actor_context(actor):
        resp.save()
    return resp
