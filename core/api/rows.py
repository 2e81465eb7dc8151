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

from django.conf import settings
from django.utils import timezone
from rest_framework import serializers
from rest_framework.relations import PrimaryKeyRelatedField
from rest_framework.settings import api_settings

# Fields whose representation of a value already of their type is the value itself
# (CharField: str(v); ChoiceField: the choice's own value; IntegerField: int(v)...).
_IDENTITY = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.IntegerField,
    serializers.BooleanField,
)
_AWARE_ISO = "aware-iso"  # a DateTimeField in ISO 8601 and the current time zone: done inline


def _converter(field):
    if isinstance(field, PrimaryKeyRelatedField):
        return None
    if isinstance(field, serializers.DateTimeField):
        output = getattr(field, "format", api_settings.DATETIME_FORMAT)
        if settings.USE_TZ and not hasattr(field, "timezone") and output and output.lower() == "iso-8601":
            return _AWARE_ISO
        return field.to_representation
    if isinstance(field, serializers.MultipleChoiceField):
        return field.to_representation
    if isinstance(field, _IDENTITY):
        return _identity_of(field)
    return field.to_representation


def _identity_of(field):
    """The value itself when it already has the field's type, else the field's own conversion."""
    kind = {serializers.IntegerField: int, serializers.BooleanField: bool}.get(type(field), str)
    convert = field.to_representation

    def same(value):
        return value if type(value) is kind else convert(value)

    return same


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
                    plan.append((field.field_name, key, _converter(field)))
                self._plan = plan
        return self._plan

    @property
    def keys(self) -> list[str]:
        return [key for _, key, _ in self.plan()]

    def values(self, queryset):
        return queryset.values(*self.keys)

    def represent(self, rows) -> list[dict]:
        plan = self.plan()
        zone = timezone.get_current_timezone()
        out = []
        for row in rows:
            item = {}
            for name, key, convert in plan:
                value = row[key]
                if value is None or convert is None:
                    item[name] = value
                elif convert is _AWARE_ISO:  # DRF's DateTimeField.to_representation, inlined
                    local = (
                        value.astimezone(zone)
                        if timezone.is_aware(value)
                        else timezone.make_aware(value, zone)
                    )
                    text = local.isoformat()
                    item[name] = text[:-6] + "Z" if text.endswith("+00:00") else text
                else:
                    item[name] = convert(value)
            out.append(item)
        return out
