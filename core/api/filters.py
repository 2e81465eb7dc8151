import datetime as dt

import django_filters
import django_filters.rest_framework
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 with any offset Python accepts (±23:59); PostgreSQL takes ±15:59 only, so the
    value goes to the database in UTC. A time that cannot be expressed in UTC is bad input."""

    def filter(self, qs, value):
        if value is not None and value.tzinfo is not None:
            try:
                value = value.astimezone(dt.UTC)
            except OverflowError:
                raise ValidationError({"updated_after": [_("Enter a valid date/time.")]}) from None
        return super().filter(qs, value)


class BaseFilterSet(django_filters.FilterSet):
    """Every list accepts `updated_after` (ISO 8601) for incremental pulls."""

    updated_after = UtcIsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gt", label="Only rows changed after this time (ISO 8601)"
    )


# ---------------------------------------------------------------------------------------------
# The one filter path of every API list (REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]).
# ---------------------------------------------------------------------------------------------
UPDATED_AFTER = "updated_after"
BOOLEAN_VALUES = ("true", "false", "1", "0")
_WITH_UPDATED_AFTER: dict[tuple, type] = {}


def modification_field(view, model) -> str | None:
    """The column `updated_after` compares on a list: the view's `updated_after_field` when it names
    one (rows that never change: their creation time), else the model's `updated_at`, else None
    (the list has no modification time: tests/core/test_every_list_pages_and_filters.py lists them)."""
    declared = getattr(view, "updated_after_field", None)
    if declared:
        return declared
    if model is not None and any(f.name == "updated_at" for f in model._meta.concrete_fields):
        return "updated_at"
    return None


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, for every list of the API:

    - `updated_after` (ISO 8601) on every list whose rows have a modification time, declared by its
      FilterSet or not (a list without a FilterSet gets one holding just that filter), so it is
      documented in the schema and applied alike everywhere;
    - a filter value the filter refuses (a choice that does not exist, a malformed date, number or
      boolean) is 400 naming the parameter in the one error body (core.api.errors), never an empty
      200 (`raise_exception`, as django-filter's default)."""

    raise_exception = True

    def get_filterset_class(self, view, queryset=None):
        declared = super().get_filterset_class(view, queryset)
        if not hasattr(view, "list"):  # a detail view: no list to narrow
            return declared
        if declared is not None and UPDATED_AFTER in declared.base_filters:
            return declared
        # The view's declared model first (the schema's, so the schema and the answers agree), else the
        # rows' (None: rows computed in Python, a list).
        model = getattr(getattr(view, "queryset", None), "model", None) or getattr(queryset, "model", None)
        field = modification_field(view, model)
        if field is None:
            return declared
        key = (declared, model, field)
        made = _WITH_UPDATED_AFTER.get(key)
        if made is None:
            made = _WITH_UPDATED_AFTER[key] = _with_updated_after(declared, model, field)
        return made

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        errors = {} if filterset.is_valid() else {k: [str(m) for m in v] for k, v in filterset.errors.items()}
        # django-filter reads a boolean it does not know (flagged=bogus) as "not given": refused here.
        for name, declared in filterset.filters.items():
            raw = filterset.data.get(name)
            if (
                isinstance(declared, django_filters.BooleanFilter)
                and raw not in (None, "")
                and str(raw).lower() not in BOOLEAN_VALUES
            ):
                message = gettext("“%(value)s” value must be either True or False.") % {"value": raw}
                errors.setdefault(name, []).append(message)
        if errors:
            raise ValidationError(errors)
        return filterset.qs


def _with_updated_after(declared, model, field: str) -> type:
    attrs = {
        UPDATED_AFTER: UtcIsoDateTimeFilter(
            field_name=field, lookup_expr="gt", label="Only rows changed after this time (ISO 8601)"
        )
    }
    if declared is not None:
        return type(declared.__name__, (declared,), attrs)
    meta = type("Meta", (), {"model": model, "fields": []})
    return type(
        f"{model.__name__}UpdatedAfterFilter",
        (django_filters.rest_framework.FilterSet,),
        {**attrs, "Meta": meta},
    )


def read_query(request, serializer_class) -> dict:
    """A view's own query parameters (those no FilterSet reads), through a serializer: a value it
    refuses (a choice that does not exist, a malformed number, date or boolean) is a 400 naming the
    parameter, as a filter's is. Document them with `extend_schema(parameters=[serializer_class])`."""
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data
