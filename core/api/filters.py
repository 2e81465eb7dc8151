import django_filters


class BaseFilterSet(django_filters.FilterSet):
    """Every list accepts `updated_after` (ISO 8601) for incremental pulls."""

    updated_after = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gt", label="Only rows changed after this time (ISO 8601)"
    )
