"""The dashboard API's query parameters, checked (issue 22): a malformed year or month is a 400 naming
it, not the current year silently (the pages keep falling back to it)."""

from rest_framework import serializers

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class DashboardParams(serializers.Serializer):
    region = serializers.CharField(required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    month = serializers.RegexField(MONTH, required=False, help_text="YYYY-MM")
    baseline = serializers.RegexField(MONTH, required=False, help_text="YYYY-MM")
