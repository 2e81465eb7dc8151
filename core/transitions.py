"""The one way a record people act on changes its status.

A model declares its moves beside its status choices:

    class Measure(TimeStampedModel):
        status = models.CharField(..., choices=MeasureStatus.choices)
        transitions = Transitions(ALLOWED_TRANSITIONS, log="MeasureStatusChange")

    class MeasureStatusChange(StatusChange):
        measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="status_changes")

and every service moves it with `transition(measure, MeasureStatus.DONE, actor=…, note=…)`: the row is
locked, the move checked against the map (a refused move is a `TransitionNotAllowed` naming both
statuses in words), the status and any `updates` saved under the actor's history context, one
status-change row written, and `status_changed` sent. Views and templates ask `can_transition`
instead of reading the map themselves. Bulk paths (an import, a batch approval) use
`transition_many`, which moves every allowed row and writes their status-change rows in one
statement.

The status-change rows are append-only in the database (a trigger refuses UPDATE and DELETE) and
a check constraint refuses a "move" that stays put. `from_status` is empty for the row written when
a record is created in its first status (`record_created`).

Job and claim statuses (an import job, a bulletin's generation) are not moved here: a worker
claims them with a conditional UPDATE and an advisory lock (`households/tasks.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import actor_context
from .exceptions import TransitionNotAllowed

# sender: the model class; kwargs: instance, from_status, to_status, actor, note.
# `transition_many` sends one per moved row after its statement (instance is the refreshed row).
status_changed = Signal()


class Transitions:
    """The allowed moves of one status field and where its status-change rows go.

    `allowed`: from-status → the statuses it may move to. `log`: the status-change model's name in
    the same app (or "app_label.Model"). `permits(obj, to, actor) -> bool`: who may make a move,
    when that depends on more than the role's permission (asked by `can_transition`; services
    still raise their own, more specific errors).
    """

    def __init__(
        self,
        allowed: Mapping[str, Iterable[str]],
        *,
        log: str,
        field: str = "status",
        permits: Callable[[Any, str, Any], bool] | None = None,
    ):
        self.allowed = {str(k): frozenset(str(v) for v in vs) for k, vs in allowed.items()}
        self.log = log
        self.field = field
        self.permits = permits
        self.model: type[models.Model] | None = None

    def contribute_to_class(self, cls, name):
        # Django calls this for class attributes that have it: the spec learns its model.
        self.model = cls
        setattr(cls, name, self)

    # --- what the spec knows -------------------------------------------------------------
    def can_move(self, from_status: str, to_status: str) -> bool:
        return str(to_status) in self.allowed.get(str(from_status), frozenset())

    def next_statuses(self, from_status: str) -> list[str]:
        """The statuses reachable from `from_status`, in the order of the field's choices."""
        reachable = self.allowed.get(str(from_status), frozenset())
        return [value for value, _label in self.choices() if value in reachable]

    def choices(self) -> list[tuple[str, str]]:
        return list(self.model._meta.get_field(self.field).choices or [])

    def label(self, value: str) -> str:
        return str(dict(self.choices()).get(value, value or "—"))

    def log_model(self) -> type[StatusChange]:
        if "." in self.log:
            return apps.get_model(self.log)
        return apps.get_model(self.model._meta.app_label, self.log)

    def subject_field(self) -> str:
        """The foreign key on the status-change model that points at the record."""
        log = self.log_model()
        for f in log._meta.concrete_fields:
            if f.is_relation and f.related_model is self.model:
                return f.name
        raise LookupError(f"{log.__name__} has no foreign key to {self.model.__name__}")


def spec_of(obj_or_model) -> Transitions:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    spec = getattr(model, "transitions", None)
    if not isinstance(spec, Transitions):
        raise TypeError(f"{model.__name__} declares no Transitions")
    return spec


def can_transition(obj, to: str, actor=None) -> bool:
    """May `obj` move to `to` now (and may `actor` make the move, where the model says who may)?"""
    spec = spec_of(obj)
    if not spec.can_move(getattr(obj, spec.field), to):
        return False
    return actor is None or spec.permits is None or bool(spec.permits(obj, to, actor))


def next_statuses(obj, actor=None) -> list[tuple[str, str]]:
    """(value, label) of every status `obj` may move to now — for the buttons on a page."""
    spec = spec_of(obj)
    return [
        (value, spec.label(value))
        for value in spec.next_statuses(getattr(obj, spec.field))
        if can_transition(obj, value, actor)
    ]


def refuse(obj_or_model, from_status: str, to_status: str) -> TransitionNotAllowed:
    spec = spec_of(obj_or_model)
    return TransitionNotAllowed(
        _("A %(thing)s cannot go from “%(from)s” to “%(to)s”.")
        % {
            "thing": spec.model._meta.verbose_name,
            "from": spec.label(from_status),
            "to": spec.label(to_status),
        },
        field=spec.field,
        params={"from": from_status, "to": to_status},
    )


@transaction.atomic
def transition(obj, to: str, *, actor, note: str = "", updates: Mapping[str, Any] | None = None):
    """Move `obj` to `to`: lock, check, save (with `updates`), one status-change row, the signal.

    Returns the locked, saved instance (a fresh object: callers use the return value). `obj` is
    also updated in place, so a caller holding it sees the new status.
    """
    spec = spec_of(obj)
    model = type(obj)
    locked = model._base_manager.select_for_update().get(pk=obj.pk)
    from_status = getattr(locked, spec.field)
    if not spec.can_move(from_status, to):
        raise refuse(locked, from_status, to)
    changed = {spec.field: to, **(updates or {})}
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        changed["updated_at"] = timezone.now()
    with actor_context(actor):
        for name, value in changed.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(changed))
        spec.log_model().objects.create(
            **{spec.subject_field(): locked},
            from_status=from_status,
            to_status=to,
            actor=actor,
            note=note or "",
        )
    for name, value in changed.items():
        setattr(obj, name, value)
    status_changed.send(
        sender=model, instance=locked, from_status=from_status, to_status=to, actor=actor, note=note
    )
    return locked


def record_created(obj, *, actor, note: str = "") -> None:
    """The first status-change row of a record created in its first status ('' → status)."""
    spec = spec_of(obj)
    spec.log_model().objects.create(
        **{spec.subject_field(): obj},
        from_status="",
        to_status=getattr(obj, spec.field),
        actor=actor,
        note=note or "",
    )


@transaction.atomic
def transition_many(
    queryset, to: str, *, actor, note: str = "", updates: Mapping[str, Any] | None = None
) -> list:
    """Move every row of `queryset` whose status may go to `to`; returns the moved primary keys.

    One statement locks the rows, updates them and writes their status-change rows (a CTE:
    UPDATE … RETURNING the old status, INSERT … SELECT from it), so a batch of 10,000 is one round
    trip. Rows whose status may not move to `to` are left as they are (the caller compares the
    returned keys with what it asked for). `updates`: further columns set to plain values.
    """
    model = queryset.model
    spec = spec_of(model)
    sources = [s for s, targets in spec.allowed.items() if str(to) in targets]
    if not sources:
        return []
    log = spec.log_model()
    subject = log._meta.get_field(spec.subject_field())
    table, pk = model._meta.db_table, model._meta.pk.column
    status_col = model._meta.get_field(spec.field).column
    ids_sql, ids_params = (
        queryset.filter(**{f"{spec.field}__in": sources}).order_by().values("pk").query.sql_with_params()
    )
    sets = [f"{connection.ops.quote_name(status_col)} = %s"]
    set_params: list[Any] = [str(to)]
    changed = dict(updates or {})
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        changed.setdefault("updated_at", timezone.now())
    for name, value in changed.items():
        sets.append(f"{connection.ops.quote_name(model._meta.get_field(name).column)} = %s")
        set_params.append(value)
    q = connection.ops.quote_name
    # Names come from _meta, quoted; every value is a parameter.
    sql = f"""
        WITH chosen AS (
            SELECT t.{q(pk)} AS id, t.{q(status_col)} AS old FROM {q(table)} t
            WHERE t.{q(pk)} IN ({ids_sql}) AND t.{q(status_col)} = ANY(%s)
            ORDER BY t.{q(pk)} FOR UPDATE
        ), moved AS (
            UPDATE {q(table)} t SET {", ".join(sets)} FROM chosen
            WHERE t.{q(pk)} = chosen.id RETURNING t.{q(pk)} AS id, chosen.old
        )
        INSERT INTO {q(log._meta.db_table)}
            ({q(subject.column)}, from_status, to_status, actor_id, note, at)
        SELECT id, old, %s, %s, %s, %s FROM moved
        RETURNING {q(subject.column)}
    """  # noqa: S608
    # Parameters in the order their placeholders appear: the chosen rows, the UPDATE, the INSERT.
    params = [
        *ids_params,
        sources,
        *set_params,
        str(to),
        getattr(actor, "pk", None),
        note or "",
        timezone.now(),
    ]
    with actor_context(actor), connection.cursor() as cursor:
        cursor.execute(sql, params)
        moved = [row[0] for row in cursor.fetchall()]
    if moved and status_changed.has_listeners(model):
        for instance in model._base_manager.filter(pk__in=moved):
            status_changed.send(
                sender=model, instance=instance, from_status=None, to_status=to, actor=actor, note=note
            )
    return moved


class StatusChange(models.Model):
    """One move of a record's status: who, when, from, to and why. Append-only in the database.

    A concrete subclass adds the foreign key to its record (PROTECT: a record that has moved keeps
    its history) and may redeclare `from_status`/`to_status` with the record's choices.
    """

    from_status = models.CharField(gettext_lazy("from"), max_length=32, blank=True)
    to_status = models.CharField(gettext_lazy("to"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(gettext_lazy("note"), blank=True)
    at = models.DateTimeField(gettext_lazy("at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="%(app_label)s_%(class)s_moves"
            )
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"
