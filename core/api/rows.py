"""List bodies from `.values()` rows, exactly as the serializer would write them from instances.

A ModelSerializer list builds its fields on every request and walks each instance attribute by
attribute; for a 50-row page that was most of a list call's time (issue 9: ~18 ms against a
1–2 ms query). `ValuesRows(SerializerClass)` builds the serializer's fields once per process,
reads the rows as plain dicts (`queryset.values(*rows.keys)`, no model instances) and applies each
field's own `to_representation`, so formats (dates, time zones, decimals, choices) stay the
serializer's. The serializer class remains the documented response body (drf-spectacular).

Supported: fields whose source is a model column or a path through foreign keys
(`source="village.name"`), and primary-key related fields. Anything else (methods, nested
serializers) raises at first use; use the serializer for those.
"""

from __future__ import annotations

import threading

from rest_framework import serializers
from rest_framework.relations import PrimaryKeyRelatedField


class ValuesRows:
    def __init__(self, serializer_class: type[serializers.Serializer]):
        self.serializer_class = serializer_class
        self._plan: list[tuple[str, str, object]] | None = None
        self._lock = threading.Lock()

    def plan(self) -> list[tuple[str, str, object]]:
        """(output name, values() key, converter or None for the raw value), in the serializer's order."""
        if self._plan is None:
            with self._lock:
                plan = []
                for field in self.serializer_class()._readable_fields:
                    if isinstance(field, (serializers.SerializerMethodField, serializers.BaseSerializer)):
                        raise TypeError(f"{self.serializer_class.__name__}.{field.field_name}: not a column")
                    key = "__".join(field.source_attrs)
                    convert = None if isinstance(field, PrimaryKeyRelatedField) else field.to_representation
                    plan.append((field.field_name, key, convert))
                self._plan = plan
        return self._plan

    @property
    def keys(self) -> list[str]:
        return [key for _, key, _ in self.plan()]

    def values(self, queryset):
        return queryset.values(*self.keys)

    def represent(self, rows) -> list[dict]:
        plan = self.plan()
        out = []
        for row in rows:
            item = {}
            for name, key, convert in plan:
                value = row[key]
                item[name] = value if value is None or convert is None else convert(value)
            out.append(item)
        return out
