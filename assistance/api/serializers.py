from rest_framework import serializers

from assistance.models import (
    AssistancePlan,
    Evidence,
    FitDecision,
    KindCause,
    Measure,
    MeasureFitReview,
    MeasureKind,
    MeasureStatus,
    VillageTeam,
)
from core.models import Officer, Region, Unit
from households.models import Member, PovertyCause

DETAIL_OUTPUT = (
    "employed_member", "loan_amount", "loan_bank", "loan_date", "loan_due", "interest_subsidy",
    "relocation_site", "move_in_date",
)  # fmt: skip


class MeasureOutputSerializer(serializers.ModelSerializer):
    is_late = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = [
            "id", "plan", "kind", "title", "causes", "responsible_officer", "planned_start", "planned_end",
            "actual_start", "actual_end", "status", "status_changed_at", "cancel_reason",
            "expected_income_gain", "actual_income_gain", "funds_needed", "note", "is_late",
            *DETAIL_OUTPUT, "created_at", "updated_at",
        ]  # fmt: skip

    def get_is_late(self, obj) -> bool:
        return obj.is_late()


class MeasureInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    title = serializers.CharField(max_length=200)
    causes = serializers.ListField(child=serializers.ChoiceField(choices=PovertyCause.choices), min_length=1)
    responsible_officer = serializers.PrimaryKeyRelatedField(
        queryset=Officer.objects.all(), required=False, allow_null=True
    )
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField()
    expected_income_gain = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, min_value=0
    )
    funds_needed = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True)
    # 因人施策: the facts of the measure's kind (checked by the service: a member of the household,
    # a loan of more than zero falling due after it is made, …).
    employed_member = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.all(), required=False, allow_null=True,
        help_text="Employment: id of the member of the household it employs.",
    )  # fmt: skip
    loan_amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    loan_bank = serializers.CharField(max_length=100, required=False, allow_blank=True)
    loan_date = serializers.DateField(required=False, allow_null=True)
    loan_due = serializers.DateField(required=False, allow_null=True)
    interest_subsidy = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    relocation_site = serializers.CharField(max_length=200, required=False, allow_blank=True)
    move_in_date = serializers.DateField(required=False, allow_null=True)


class MeasureCreateSerializer(MeasureInputSerializer):
    plan = serializers.IntegerField(help_text="Id of the plan the measure belongs to.")


class MeasureTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MeasureStatus.choices)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    on = serializers.DateField(
        required=False, allow_null=True, help_text="Date of the change (default today)."
    )
    actual_income_gain = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=0
    )


class EvidenceOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "measure", "original_name", "content_type", "size", "note", "created_at"]


class PlanOutputSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="household.village_id", read_only=True)
    # The household's responsible officer (it belongs to the household, not the year's plan).
    officer = serializers.IntegerField(
        source="household.assistance_officer_id", read_only=True, allow_null=True
    )
    causes = serializers.ListField(source="household.causes", child=serializers.CharField(), read_only=True)
    uncovered_causes = serializers.ListField(
        source="uncovered", child=serializers.CharField(), read_only=True
    )
    late_measures = serializers.IntegerField(read_only=True)
    relief_missing = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text="应保尽保: causes that call for relief with no relief measure in the plan.",
    )  # fmt: skip

    class Meta:
        model = AssistancePlan
        fields = [
            "id", "household", "year", "village", "officer", "summary", "causes", "uncovered_causes",
            "late_measures", "relief_missing", "created_at", "updated_at",
        ]  # fmt: skip


class PlanDetailSerializer(PlanOutputSerializer):
    measures = MeasureOutputSerializer(many=True, read_only=True, source="measure_rows")

    class Meta(PlanOutputSerializer.Meta):
        fields = [*PlanOutputSerializer.Meta.fields, "measures"]


class PlanCreateSerializer(serializers.Serializer):
    household = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2013, max_value=2100)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class PlanUpdateSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True)


class TeamOutputSerializer(serializers.ModelSerializer):
    villages = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = VillageTeam
        fields = [
            "id", "name", "dispatching_unit", "first_secretary", "members", "villages", "start_date",
            "end_date", "is_current", "created_at", "updated_at",
        ]  # fmt: skip

    def get_villages(self, obj) -> list[str]:
        return [tv.village_id for tv in obj.served.all()]

    def get_members(self, obj) -> list[int]:
        return [m.officer_id for m in obj.memberships.all()]

    def get_is_current(self, obj) -> bool:
        return obj.is_current()


class TeamInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    dispatching_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    first_secretary = serializers.PrimaryKeyRelatedField(queryset=Officer.objects.all())
    members = serializers.PrimaryKeyRelatedField(queryset=Officer.objects.all(), many=True, required=False)
    villages = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.filter(level="village"), many=True, allow_empty=False
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)


class KindCauseOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = KindCause
        fields = ["id", "county", "kind", "cause", "note", "added_by", "added_at"]


class KindCauseInputSerializer(serializers.Serializer):
    county = serializers.CharField(max_length=12, help_text="The county's region code (12 digits).")
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    cause = serializers.ChoiceField(choices=PovertyCause.choices)
    note = serializers.CharField(max_length=300)


class FitReviewOutputSerializer(serializers.ModelSerializer):
    household = serializers.IntegerField(source="measure.plan.household_id", read_only=True)
    village = serializers.CharField(source="measure.plan.household.village_id", read_only=True)
    kind = serializers.CharField(source="measure.kind", read_only=True)
    title = serializers.CharField(source="measure.title", read_only=True)

    class Meta:
        model = MeasureFitReview
        fields = [
            "id", "measure", "household", "village", "kind", "title", "causes", "decision", "decided_by",
            "decided_at", "note", "created_at", "updated_at",
        ]  # fmt: skip


class FitDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[c for c in FitDecision.choices if c[0]])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
