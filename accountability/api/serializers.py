from rest_framework import serializers

from ..models import (
    AccountabilityCase,
    AnnualGrade,
    AssessmentIndicator,
    AssessmentScheme,
    Bulletin,
    CaseType,
    MonthlyScore,
    PromotionBan,
    Responsibility,
    ResponsibilityKind,
    VetoCondition,
)


class ResponsibilityOutputSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.name", default=None, read_only=True)
    unit_name = serializers.CharField(source="unit.name", default=None, read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Responsibility
        fields = [
            "id", "kind", "officer", "officer_name", "unit", "unit_name", "region", "region_name", "duty",
            "valid_from", "valid_to", "created_at", "updated_at",
        ]  # fmt: skip


class ResponsibilityInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ResponsibilityKind.choices)
    region = serializers.CharField(max_length=12, min_length=12)
    officer = serializers.IntegerField(required=False, allow_null=True)
    unit = serializers.IntegerField(required=False, allow_null=True)
    duty = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True)


class ResponsibilityEndSerializer(serializers.Serializer):
    valid_to = serializers.DateField()


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentIndicator
        fields = ["code", "severity", "weight", "cap"]


class VetoSerializer(serializers.ModelSerializer):
    class Meta:
        model = VetoCondition
        fields = ["code", "severity", "threshold", "description"]


class SchemeSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    vetoes = VetoSerializer(many=True, read_only=True)

    class Meta:
        model = AssessmentScheme
        fields = [
            "id", "code", "version", "title", "effective_from", "base_score", "good_min", "fairly_good_min",
            "average_min", "indicators", "vetoes", "updated_at",
        ]  # fmt: skip


class MonthlyScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = MonthlyScore
        fields = [
            "id", "scheme", "unit", "officer", "region", "month", "score", "grade", "vetoed", "veto_reasons",
            "inputs", "breakdown", "updated_at",
        ]  # fmt: skip


class AnnualGradeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualGrade
        fields = ["id", "scheme", "unit", "officer", "region", "year", "score", "grade", "vetoed", "decided_on",
                  "basis", "updated_at"]  # fmt: skip


class CaseOutputSerializer(serializers.ModelSerializer):
    subject_name = serializers.CharField(source="subject.__str__", read_only=True)

    class Meta:
        model = AccountabilityCase
        fields = [
            "id", "case_type", "subject_officer", "subject_unit", "subject_name", "region", "rule", "mandatory",
            "status", "grounds", "decision", "dismissal_reason", "opened_on", "ban_until", "finding_id",
            "finding_source", "finding_date", "annual_grade", "review", "decided_at", "decided_by", "closed_on",
            "created_at", "updated_at",
        ]  # fmt: skip


class CaseInputSerializer(serializers.Serializer):
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    subject_officer = serializers.IntegerField(required=False, allow_null=True)
    subject_unit = serializers.IntegerField(required=False, allow_null=True)
    grounds = serializers.CharField(max_length=4000)
    ban_until = serializers.DateField(required=False, allow_null=True)


class CaseConfirmSerializer(serializers.Serializer):
    decision = serializers.CharField(max_length=4000)
    case_type = serializers.ChoiceField(choices=CaseType.choices, required=False)
    ban_until = serializers.DateField(required=False, allow_null=True)


class CaseDismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class CaseCloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class BanSerializer(serializers.ModelSerializer):
    class Meta:
        model = PromotionBan
        fields = ["id", "officer", "case", "starts_on", "ends_on", "lifted_on", "lift_reason", "updated_at"]


class BulletinListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bulletin
        fields = [
            "id",
            "region",
            "month",
            "version",
            "status",
            "generated_at",
            "reason",
            "superseded_at",
            "updated_at",
        ]


class BulletinSerializer(BulletinListSerializer):
    class Meta(BulletinListSerializer.Meta):
        fields = [*BulletinListSerializer.Meta.fields, "content"]


class BulletinRegenerateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    case = serializers.IntegerField(allow_null=True)
    until = serializers.DateField(allow_null=True)


class EligibilitySerializer(serializers.Serializer):
    officer = serializers.IntegerField()
    on = serializers.DateField()
    eligible = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)
