"""Keyset pages for every API list: the next page starts strictly after the last row's whole
ordering key, `(updated_at, id) > (t, n)`, so a walk never repeats a row and never stops early,
however many rows share a timestamp (an import saves each batch with one `updated_at`).

DRF's `CursorPagination` positions on the first ordering field only and steps over ties with an
OFFSET it caps at 1,000: after an import of 1,100 households at one timestamp a walk at the default
page size never ended. Here the cursor carries every ordering value, typed, and the filter is one
row comparison that the `(…, updated_at, id)` indexes serve; page 5,000 costs what page 1 costs.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import json
from decimal import Decimal, InvalidOperation

from django.db.models import BooleanField, Expression, F, Q, Value
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.utils.urls import replace_query_param

# How each ordering value travels in a cursor: a tag and text, read back to the same type.
_ENCODE = (
    (dt.datetime, "t", dt.datetime.isoformat),
    (dt.date, "d", dt.date.isoformat),
    (bool, "b", lambda v: "1" if v else "0"),
    (int, "i", str),
    (Decimal, "n", str),
    (str, "s", str),
)
_DECODE = {
    "t": dt.datetime.fromisoformat,
    "d": dt.date.fromisoformat,
    "b": lambda s: s == "1",
    "i": int,
    "n": Decimal,
    "s": str,
}


def _encode_value(value) -> list[str]:
    for kind, tag, write in _ENCODE:
        if isinstance(value, kind):
            return [tag, write(value)]
    raise TypeError(f"keyset ordering value of type {type(value).__name__} cannot go in a cursor")


class RowCompare(Expression):
    """`(a, b, …) > (x, y, …)` (or `<`, `>=`, `<=`) as one SQL row comparison, which PostgreSQL
    answers from a btree on (a, b, …) — the OR-expanded form of the same test is not index-friendly."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, columns: list[str], op: str, values: list):
        super().__init__()
        if op not in (">", "<", ">=", "<="):
            raise ValueError(op)
        self.op = op
        self.columns = [F(c) for c in columns]
        self.values = [Value(v) for v in values]

    def get_source_expressions(self):
        return [*self.columns, *self.values]

    def set_source_expressions(self, exprs):
        n = len(self.columns)
        self.columns, self.values = list(exprs[:n]), list(exprs[n:])

    def as_sql(self, compiler, connection):
        params: list = []
        sides = []
        for side in (self.columns, self.values):
            parts = []
            for expression in side:
                sql, p = compiler.compile(expression)
                parts.append(sql)
                params.extend(p)
            sides.append(", ".join(parts))
        return f"({sides[0]}) {self.op} ({sides[1]})", params


def after(ordering: tuple[str, ...], position: list, *, inclusive: bool = False):
    """The rows after `position` in `ordering` ("-field" descending): one row comparison when every
    field runs the same way, else the expanded form (a > x OR a = x AND b > y …)."""
    names = [f.lstrip("-") for f in ordering]
    descending = [f.startswith("-") for f in ordering]
    if all(descending) or not any(descending):
        op = ("<" if descending[0] else ">") + ("=" if inclusive else "")
        return RowCompare(names, op, position)
    condition = Q(**dict(zip(names, position, strict=True))) if inclusive else Q(pk__in=[])
    for i in reversed(range(len(names))):
        step = Q(**{f"{names[i]}__{'lt' if descending[i] else 'gt'}": position[i]})
        condition = step | (Q(**{names[i]: position[i]}) & condition)
    return condition


def _invert(ordering: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f[1:] if f.startswith("-") else f"-{f}" for f in ordering)


class KeysetPagination(CursorPagination):
    """Keyset (cursor) pages on the whole ordering key.

    The default order is (updated_at, id) so that a client pulling changes with `updated_after`
    walks forward through everything changed since its last pull. The ordering must end in a unique
    column (id); its fields must not be null.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("updated_at", "id")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Rows per page, a whole number from 1 (default {self.page_size}); above "
                    f"{self.max_page_size} reads as {self.max_page_size}. Anything else is a 400 naming "
                    f"{self.page_size_query_param}."
                )
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        position, reverse, inclusive = self.decode_cursor(request)
        order = _invert(self.ordering) if reverse else tuple(self.ordering)
        if isinstance(queryset, list | tuple):  # rows computed in Python (e.g. funds' flags)
            rows = self._python_page(queryset, order, position, inclusive)
        else:
            queryset = queryset.order_by(*order)
            if position is not None:
                queryset = queryset.filter(after(order, position, inclusive=inclusive))
            rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if reverse:
            rows.reverse()
        self.page = rows
        self._first = self._position(rows[0]) if rows else None
        self._last = self._position(rows[-1]) if rows else None
        self._cursor_position = position
        if reverse:
            self.has_previous, self.has_next = more, position is not None
        else:
            self.has_next, self.has_previous = more, position is not None
        return rows

    def _python_page(self, rows, order: tuple[str, ...], position, inclusive: bool) -> list:
        """The same keyset page of rows computed in Python (dicts or objects carrying every ordering
        field): sorted by `order`, those strictly after `position` (or from it, `inclusive`)."""
        names = [f.lstrip("-") for f in order]
        signs = [-1 if f.startswith("-") else 1 for f in order]

        def compare(a: list, b: list) -> int:
            for x, y, sign in zip(a, b, signs, strict=True):
                if x != y:
                    return sign if x > y else -sign
            return 0

        def values(row) -> list:
            return [row[n] if isinstance(row, dict) else getattr(row, n) for n in names]

        ordered = sorted(rows, key=functools.cmp_to_key(lambda a, b: compare(values(a), values(b))))
        if position is not None:
            try:
                ordered = [r for r in ordered if compare(values(r), position) >= (0 if inclusive else 1)]
            except TypeError:  # a cursor of another list: values of other types
                raise ValidationError({self.cursor_query_param: [_("Invalid cursor")]}) from None
        return ordered[: self.page_size + 1]

    def _position(self, row) -> list:
        values = []
        for field in self.ordering:
            name = field.lstrip("-")
            value = row[name] if isinstance(row, dict) else getattr(row, name)
            if value is None:
                raise ValueError(f"keyset ordering field {name!r} is null")
            values.append(value)
        return values

    def get_next_link(self):
        if not self.has_next:
            return None
        if self._last is not None:
            return self._link(self._last, reverse=False, inclusive=False)
        # An empty page reached backwards: forward again from the cursor, that row included.
        return self._link(self._cursor_position, reverse=False, inclusive=True)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if self._first is not None:
            return self._link(self._first, reverse=True, inclusive=False)
        return self._link(self._cursor_position, reverse=True, inclusive=True)

    def _link(self, position: list, *, reverse: bool, inclusive: bool) -> str:
        body = {"p": [_encode_value(v) for v in position]}
        if reverse:
            body["r"] = 1
        if inclusive:
            body["i"] = 1
        token = (
            base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode()).decode().rstrip("=")
        )
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def decode_cursor(self, request):
        token = request.query_params.get(self.cursor_query_param)
        if not token:
            return None, False, False
        try:
            padded = token + "=" * (-len(token) % 4)
            body = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            position = [_DECODE[tag](text) for tag, text in body["p"]]
            if len(position) != len(self.ordering):
                raise ValueError("cursor length")
            return position, bool(body.get("r")), bool(body.get("i"))
        except (
            ValueError,
            TypeError,
            KeyError,
            InvalidOperation,
            binascii.Error,
            UnicodeError,
            json.JSONDecodeError,
        ):
            # A cursor the client mangled is bad input naming its field (400), not a missing page.
            raise ValidationError({self.cursor_query_param: [_("Invalid cursor")]}) from None

    def encode_cursor(self, cursor):  # DRF's own cursors are not used here
        raise NotImplementedError

    def get_html_context(self):
        return {"previous_url": self.get_previous_link(), "next_url": self.get_next_link()}


class IdKeysetPagination(KeysetPagination):
    ordering = ("id",)


class CodeKeysetPagination(IdKeysetPagination):
    """Rows keyed by a code (regions): in code order."""

    ordering = ("code",)


class VillageKeysetPagination(KeysetPagination):
    """A region's rows in village order, then id: the village-code index serves a county's code range
    directly, where id order walks the whole province's primary key to find the county's rows."""

    ordering = ("village_id", "id")
