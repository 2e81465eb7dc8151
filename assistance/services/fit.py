"""因户施策 writes: a county extends the kinds' table; measures that claim causes their kind does
not answer are opened for review and each is decided — never deleted."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError
from core.models import Region, RegionLevel, User
from core.scoping import ensure_can_write, scope_sql
from households.models import PovertyCause

from ..models import FitDecision, KindCause, Measure, MeasureFitReview, MeasureKind, MeasureStatus
from ..selectors.coverage import county_of, kind_answers, unanswered_by_kind
from .common import _ensure_household_writable, _touch_plan


@transaction.atomic
def kind_cause_add(*, actor: User, county: Region | str, kind: str, cause: str, note: str = "") -> KindCause:
    """The county counts `kind` as answering `cause` from now on (coverage is recomputed by the
    database for every plan it touches). Defaults cannot be added twice, nor removed."""
    code = county.code if isinstance(county, Region) else str(county or "")
    region = Region.objects.filter(code=code, level=RegionLevel.COUNTY).first()
    if region is None:
        raise DomainError(_("Choose a county."), field="county")
    ensure_can_write(actor, region.code)
    if kind not in MeasureKind.values:
        raise DomainError(_("Choose a kind of measure from the list."), field="kind")
    if cause not in PovertyCause.values:
        raise DomainError(_("Choose a poverty cause from the list."), field="cause")
    if cause in kind_answers(county=region.code).get(kind, ()):
        raise ConflictError(
            _("In %(county)s “%(kind)s” already answers “%(cause)s”.")
            % {"county": region.name, "kind": MeasureKind(kind).label, "cause": PovertyCause(cause).label},
            field="cause",
        )
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say why the county counts this kind for this cause."), field="note")
    row = KindCause(county=region, kind=kind, cause=cause, added_by=actor, note=note[:300])
    try:
        with transaction.atomic(), actor_context(actor):
            row.save()
    except IntegrityError as exc:
        raise ConflictError(
            _("The county already counts this kind as answering this cause."), field="cause"
        ) from exc
    return row


# Measures (not cancelled) claiming causes their kind does not answer in their county, in a
# region: one open review each (an open review is not opened twice: the partial unique index).
_OPEN_REVIEWS = """
INSERT INTO assistance_measurefitreview (created_at, updated_at, measure_id, causes, decision, note)
SELECT now(), now(), m.id, bad.causes, '', ''
  FROM assistance_measure m
  JOIN assistance_assistanceplan p ON p.id = m.plan_id
  JOIN households_household h ON h.id = p.household_id
 CROSS JOIN LATERAL (
       SELECT ARRAY(SELECT c FROM unnest(m.causes) AS mc(c)
                     WHERE NOT EXISTS (SELECT 1 FROM assistance_kindcause k
                                        WHERE k.kind = m.kind AND k.cause = mc.c
                                          AND (k.county_id IS NULL
                                               OR k.county_id = left(h.village_id, 6) || '000000')))::varchar[] AS causes
       ) bad
 WHERE m.status <> 'cancelled' AND cardinality(bad.causes) > 0 AND {scope}
ON CONFLICT DO NOTHING
"""


def fit_reviews_open(*, actor: User) -> int:
    """Open a review for every measure in the actor's scope that claims a cause its kind does
    not answer (measures written before the table, or around the services). Returns how many."""
    ensure_can_write(actor)
    clause, params = scope_sql(actor, "h.village_id")
    with connection.cursor() as cursor, actor_context(actor):
        cursor.execute(_OPEN_REVIEWS.format(scope=clause), params)
        return cursor.rowcount


@transaction.atomic
def fit_review_decide(
    *, review: MeasureFitReview, actor: User, decision: str, note: str = ""
) -> MeasureFitReview:
    """Decide one review: `narrowed` (the measure keeps only the causes its kind answers),
    `cancelled` (the measure is cancelled with the note as reason), `fits` (it fits now: changed, or
    the county counts the kind) or `kept` (as it is, with a reason; coverage does not count it)."""
    from .measures import measure_transition

    household = review.measure.plan.household
    _ensure_household_writable(actor, household)
    review = MeasureFitReview.objects.select_for_update().get(pk=review.pk)
    if not review.is_open:
        raise ConflictError(_("This review has already been decided."), field="decision")
    if decision not in FitDecision.values or decision == FitDecision.PENDING:
        raise DomainError(_("Choose a decision from the list."), field="decision")
    note = (note or "").strip()[:300]
    measure = Measure.objects.select_for_update().get(pk=review.measure_id)
    unanswered = unanswered_by_kind(measure, kind_answers(county=county_of(household.village_id)))
    if decision == FitDecision.FITS and unanswered and measure.status != MeasureStatus.CANCELLED:
        raise DomainError(
            _("The measure still claims causes its kind does not answer: %(causes)s.")
            % {"causes": "、".join(str(PovertyCause(c).label) for c in unanswered)},
            field="decision",
        )
    if decision == FitDecision.KEPT and not note:
        raise DomainError(_("Say why the measure is kept as it is."), field="note")
    if decision == FitDecision.NARROWED:
        kept = [c for c in measure.causes if c not in unanswered]
        if not kept:
            raise DomainError(
                _("Its kind answers none of the measure's causes: cancel it or keep it with a reason."),
                field="decision",
            )
        if measure.status not in (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS):
            raise ConflictError(_("A finished or cancelled measure cannot be changed."), field="decision")
        with actor_context(actor):
            Measure.objects.filter(pk=measure.pk).update(causes=kept, updated_at=timezone.now())
            _touch_plan(measure.plan_id)
    elif decision == FitDecision.CANCELLED:
        if not note:
            raise DomainError(_("Give the reason for cancelling the measure."), field="note")
        if measure.status != MeasureStatus.CANCELLED:
            measure_transition(measure=measure, to_status=MeasureStatus.CANCELLED, actor=actor, reason=note)
    review.decision, review.note = decision, note
    review.decided_by, review.decided_at = actor, timezone.now()
    with actor_context(actor):
        review.save(update_fields=["decision", "note", "decided_by", "decided_at", "updated_at"])
    return review
