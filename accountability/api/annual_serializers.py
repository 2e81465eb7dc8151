"""Serializers of the annual assessment API (grades with indicators, appeals, vetoes, reviews, bulletins)."""

from rest_framework import serializers

from ..models import (
    AnnualBulletin,
    AnnualGrade,
    AnnualIndicator,
    EvaluationVeto,
    Grade,
    GradeAppeal,
    IndicatorSource,
    RectificationReview,
)


class AnnualIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualIndicator
        fields = ["name", "source", "value", "note"]


class GradeAppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = GradeAppeal
        fields = ["id", "grade", "grounds", "lodged_on", "lodged_by", "status", "original_grade", "new_grade",
                  "decision", "decided_at", "decided_by"]  # fmt: skip


class AnnualGradeDetailSerializer(serializers.ModelSerializer):
    indicators = AnnualIndicatorSerializer(many=True, read_only=True)
    appeals = GradeAppealSerializer(many=True, read_only=True)
    cases = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = AnnualGrade
        fields = ["id", "scheme", "unit", "officer", "region", "year", "score", "grade", "vetoed", "veto_reasons",
                  "reasons", "decided_on", "basis", "indicators", "appeals", "cases", "updated_at"]  # fmt: skip


class IndicatorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    source = serializers.ChoiceField(choices=IndicatorSource.choices)
    value = serializers.CharField(max_length=100)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AnnualGradeInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    decided_on = serializers.DateField()
    unit = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    officer = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    grade = serializers.ChoiceField(choices=Grade.choices, required=False, allow_blank=True)
    reasons = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    indicators = IndicatorInputSerializer(many=True, required=False)


class AppealInputSerializer(serializers.Serializer):
    grounds = serializers.CharField(max_length=4000)


class AppealDecisionSerializer(serializers.Serializer):
    granted = serializers.BooleanField()
    new_grade = serializers.ChoiceField(choices=Grade.choices, required=False, allow_blank=True)
    reasons = serializers.CharField(max_length=2000)


class EvaluationVetoSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.name", read_only=True)

    class Meta:
        model = EvaluationVeto
        fields = ["id", "officer", "officer_name", "region", "year", "grade", "review", "reason", "recorded_on",
                  "lifted_on", "lift_reason"]  # fmt: skip


class ReviewSerializer(serializers.ModelSerializer):
    cases = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = RectificationReview
        fields = ["id", "region", "year", "reviewed_on", "passed", "reviewers", "items_checked", "reasons", "notes",
                  "problem_list", "plan", "cases", "created_at"]  # fmt: skip


class ReviewInputSerializer(serializers.Serializer):
    region = serializers.RegexField(r"^\d{12}$", max_length=12)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    reviewed_on = serializers.DateField()
    passed = serializers.BooleanField()
    reviewers = serializers.CharField(max_length=300)
    items_checked = serializers.CharField(max_length=4000)
    reasons = serializers.CharField(max_length=2000)
    problem_list = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    plan = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class AnnualBulletinSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualBulletin
        fields = [
            "id",
            "region",
            "year",
            "version",
            "status",
            "reason",
            "published_at",
            "published_by",
            "content",
        ]


class AnnualBulletinPublishSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
