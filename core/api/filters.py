import datetime as dt

import django_filters
from django.utils.translation import gettext_lazy as _
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
