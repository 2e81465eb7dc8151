"""The API's schema class (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]): drf-spectacular's, with response
fields that may answer null documented nullable. Its own module: core.api.schema imports
drf-spectacular's views, which import the schema class (a cycle)."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.fields import empty


def _may_be_null(field) -> bool:
    """A response field that can answer null: it allows null, its default is None, or its source
    passes through a nullable column or relation of the serializer's model (`officer.name` of a row
    without an officer). drf-spectacular looks at `allow_null` only, so such fields were documented
    non-nullable and generated clients refused the answer (issue 22)."""
    default = getattr(field, "default", empty)
    if field.allow_null or default is None:
        return True
    if default is not empty:
        return False  # a missing relation gives the default
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or field.source == "*":
        return False
    for attr in getattr(field, "source_attrs", None) or []:
        try:
            column = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if column.is_relation and (column.one_to_many or column.many_to_many):
            return False  # rows of a relation: a list, empty at worst, never null
        if getattr(column, "null", False) or (column.one_to_one and not column.concrete):
            return True  # a nullable column or relation, or a reverse one-to-one that may be missing
        model = getattr(column, "related_model", None)
        if model is None:
            return False
    return False


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's, with response fields that may be null documented nullable (`_may_be_null`)."""

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and not meta.get("nullable") and _may_be_null(field):
            meta["nullable"] = True
        return meta
