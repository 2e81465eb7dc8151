import datetime as dt

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import pii
from core.api.rows import ValuesRows
from core.models import Officer
from households.models import (
    DuplicateCandidate,
    Household,
    HouseholdImport,
    HouseholdTransfer,
    ImportKind,
    ImportMode,
    Income,
    Member,
    MoveReason,
    PovertyLine,
    ProcedureCase,
    ProcedureStep,
    VerificationCampaign,
    VerificationCheck,
)
from households.selectors.guarantees import guarantee_status
from households.selectors.import_jobs import IMPORT_ERRORS_SHOWN, import_errors
from households.validation import GUARANTEE_FIELDS, GUARANTEES_ARE_FACTS


class MemberOutputSerializer(serializers.ModelSerializer):
    # Only the masked form ever leaves through the API; the full number has its own logged endpoint.
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    # The full birth date is digits 7–14 of the number: only for roles that may reveal it (the view
    # passes the request in the context; without one, nobody is assumed to hold the permission).
    birth_date = serializers.SerializerMethodField(
        help_text="The full birth date for roles that may see full ID numbers; null for every other role."
    )
    birth_year = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "id", "household", "name", "id_number", "relation", "sex", "birth_date", "birth_year", "health",
            "disability", "education", "schooling", "labour_ability", "migrant_worker", "migrant_months",
            "is_active", "left_reason", "updated_at",
        ]  # fmt: skip

    def _reveal(self) -> bool:
        if "reveal" not in self.context:
            request = self.context.get("request")
            self.context["reveal"] = pii.can_reveal(getattr(request, "user", None))
        return self.context["reveal"]

    def get_birth_date(self, obj) -> dt.date | None:
        return obj.birth_date if obj.birth_date and self._reveal() else None

    def get_birth_year(self, obj) -> int | None:
        return obj.birth_date.year if obj.birth_date else None


class IncomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Income
        fields = [
            "year", "per_capita_net_income", "wage_income", "production_income", "transfer_income",
            "property_income", "updated_at",
        ]  # fmt: skip


class HouseholdListSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = Household
        fields = [
            "id", "file_number", "village", "village_name", "head_name", "member_count", "attribute",
            "identified_year", "status", "status_changed_at", "main_cause", "secondary_causes", "updated_at",
        ]  # fmt: skip


HOUSEHOLD_LIST_ROWS = ValuesRows(HouseholdListSerializer)


class HouseholdDetailSerializer(HouseholdListSerializer):
    guarantees = serializers.SerializerMethodField()
    members = MemberOutputSerializer(many=True, read_only=True)
    incomes = IncomeSerializer(many=True, read_only=True)

    class Meta(HouseholdListSerializer.Meta):
        fields = [
            *HouseholdListSerializer.Meta.fields, "address", "phone", "assistance_officer", "guarantees",
            "members", "incomes", "created_at",
        ]  # fmt: skip

    @extend_schema_field(
        {
            "type": "object",
            "description": "两不愁三保障 by today's facts: {food, clothing, education, medical, housing} → "
            "{state: met | unmet | to_confirm, reasons, evidence}",
        }
    )
    def get_guarantees(self, obj) -> dict:
        return {k: state.as_dict() for k, state in guarantee_status(obj).items()}


class MemberInputSerializer(serializers.Serializer):
    """Types only: the rules (check digit, birth date, one head, duplicates) are the service's."""

    id = serializers.IntegerField(required=False, help_text="An existing member (update only).")
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, write_only=True)
    relation = serializers.CharField(max_length=20, required=False, allow_blank=True)
    sex = serializers.CharField(max_length=1, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    health = serializers.CharField(max_length=16, required=False, allow_blank=True)
    disability = serializers.CharField(max_length=16, required=False, allow_blank=True)
    education = serializers.CharField(max_length=16, required=False, allow_blank=True)
    schooling = serializers.CharField(max_length=16, required=False, allow_blank=True)
    labour_ability = serializers.CharField(max_length=16, required=False, allow_blank=True)
    migrant_worker = serializers.BooleanField(required=False)
    migrant_months = serializers.IntegerField(required=False, min_value=0, max_value=12)
    is_active = serializers.BooleanField(required=False, default=True)
    left_reason = serializers.CharField(max_length=100, required=False, allow_blank=True)


class HouseholdInputSerializer(serializers.Serializer):
    file_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    attribute = serializers.CharField(max_length=16, required=False)
    identified_year = serializers.IntegerField(required=False)
    main_cause = serializers.CharField(max_length=20, required=False)
    secondary_causes = serializers.ListField(child=serializers.CharField(max_length=20), required=False)
    assistance_officer = serializers.PrimaryKeyRelatedField(
        queryset=Officer.objects.all(), required=False, allow_null=True
    )

    def validate(self, attrs):
        # 两不愁三保障 is no input: refused by name rather than silently dropped as an unknown key.
        ticked = [f for f in GUARANTEE_FIELDS if f in getattr(self, "initial_data", {})]
        if ticked:
            raise serializers.ValidationError({key: [str(GUARANTEES_ARE_FACTS)] for key in ticked})
        return attrs


class HouseholdCreateSerializer(HouseholdInputSerializer):
    village = serializers.CharField(max_length=12, help_text="12-digit village code")
    members = MemberInputSerializer(many=True)


class HouseholdUpdateSerializer(HouseholdInputSerializer):
    members = MemberInputSerializer(many=True, required=False)


class IdNumberSerializer(serializers.Serializer):
    id_number = serializers.CharField()


class StepSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = ProcedureStep
        fields = ["id", "step", "actor", "at", "date", "note", "data", "evidence"]

    def get_evidence(self, obj) -> list[str]:
        return [e.name for e in obj.evidence.all()]


class ProcedureCaseSerializer(serializers.ModelSerializer):
    steps = StepSerializer(many=True, read_only=True)
    next_step = serializers.CharField(read_only=True)

    class Meta:
        model = ProcedureCase
        fields = [
            "id", "kind", "state", "last_step", "next_step", "stop_reason", "notice_start", "notice_end",
            "created_at", "steps",
        ]  # fmt: skip


class StepInputSerializer(serializers.Serializer):
    step = serializers.CharField(max_length=20)
    date = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    attendance = serializers.IntegerField(required=False)
    votes_for = serializers.IntegerField(required=False)
    votes_against = serializers.IntegerField(required=False)
    approved = serializers.BooleanField(required=False)
    notice_start = serializers.DateField(required=False)
    notice_end = serializers.DateField(required=False)
    year = serializers.IntegerField(required=False)
    household_agrees = serializers.BooleanField(required=False)
    files = serializers.ListField(child=serializers.FileField(), required=False)


class StatusInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["return", "remove"], help_text="return = 返贫, remove = 清退")
    reason = serializers.CharField()


class MoveInputSerializer(serializers.Serializer):
    to_village = serializers.CharField(max_length=12)
    reason = serializers.ChoiceField(choices=MoveReason.choices)
    note = serializers.CharField(required=False, allow_blank=True)


class IncomeInputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    per_capita_net_income = serializers.DecimalField(max_digits=12, decimal_places=2)
    wage_income = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    production_income = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    transfer_income = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    property_income = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)


class DuplicateSerializer(serializers.ModelSerializer):
    household_a_file = serializers.CharField(source="household_a.file_number", read_only=True)
    household_b_file = serializers.CharField(source="household_b.file_number", read_only=True)

    class Meta:
        model = DuplicateCandidate
        fields = [
            "id", "household_a", "household_a_file", "household_b", "household_b_file", "reason", "detail",
            "status", "reviewed_at", "note", "created_at", "updated_at",
        ]  # fmt: skip


class DuplicateReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["different", "merge"])
    keep = serializers.IntegerField(required=False, help_text="Household id to keep when merging")
    note = serializers.CharField(required=False, allow_blank=True)


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = VerificationCampaign
        fields = ["id", "name", "region", "status", "deadline", "created_at", "updated_at"]
        read_only_fields = ["status"]


class ProgressRowSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    corrected = serializers.IntegerField()
    percent = serializers.IntegerField()


class VillageProgressSerializer(ProgressRowSerializer):
    village_id = serializers.CharField()
    village__name = serializers.CharField()


class CountyProgressSerializer(ProgressRowSerializer):
    county = serializers.CharField()
    name = serializers.CharField()


class CampaignProgressSerializer(serializers.Serializer):
    villages = VillageProgressSerializer(many=True)
    counties = CountyProgressSerializer(many=True)
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    percent = serializers.IntegerField()


class CampaignDetailSerializer(CampaignSerializer):
    """A campaign with its progress per village and per county."""

    progress = CampaignProgressSerializer(read_only=True)

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "progress"]


class CheckSerializer(serializers.ModelSerializer):
    file_number = serializers.CharField(source="household.file_number", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)

    class Meta:
        model = VerificationCheck
        fields = [
            "id", "campaign", "household", "file_number", "head_name", "village", "status", "findings",
            "corrections", "checked_at", "updated_at",
        ]  # fmt: skip


class CheckInputSerializer(serializers.Serializer):
    findings = serializers.CharField(required=False, allow_blank=True)
    corrections = serializers.DictField(required=False)


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="The row's number in the uploaded sheet.")
    column = serializers.CharField(help_text="The column (its header), or empty for the row as a whole.")
    reason = serializers.CharField()


class ImportSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    error_report_url = serializers.SerializerMethodField(
        help_text="The error report (.xlsx) through the API, with the same token; null when no row failed "
        "or once it was deleted after the retention period."
    )
    errors = serializers.SerializerMethodField(
        help_text=f"The per-row errors in file order: the first {IMPORT_ERRORS_SHOWN} (`errors_truncated` "
        "says there are more; all are in the error report). Empty while the import runs and once the "
        "report was deleted; `error_rows` counts the rows that failed."
    )
    errors_truncated = serializers.SerializerMethodField(
        help_text=f"More than {IMPORT_ERRORS_SHOWN} errors: the rest are in the error report."
    )

    class Meta:
        model = HouseholdImport
        fields = [
            "id", "file_name", "mode", "kind", "status", "total_rows", "processed_rows", "percent",
            "households_created", "members_created", "error_rows", "message", "errors", "errors_truncated",
            "error_report_url", "created_at", "started_at", "finished_at",
        ]  # fmt: skip

    def _row_errors(self, obj) -> tuple[list[dict], bool]:
        cache = self.context.setdefault("_import_errors", {})
        if obj.pk not in cache:
            cache[obj.pk] = import_errors(obj)
        return cache[obj.pk]

    @extend_schema_field(ImportErrorSerializer(many=True))
    def get_errors(self, obj) -> list[dict]:
        return self._row_errors(obj)[0]

    def get_errors_truncated(self, obj) -> bool:
        return self._row_errors(obj)[1]

    def get_error_report_url(self, obj) -> str | None:
        from households.imports import import_files_expired

        if not obj.error_report or import_files_expired(obj):
            return None
        from django.urls import reverse

        return reverse("api:import_error_report", args=[obj.pk])


class ImportInputSerializer(serializers.Serializer):
    file = serializers.FileField()
    mode = serializers.ChoiceField(choices=ImportMode.choices, default=ImportMode.VALID_ROWS)
    # The migration of an existing register: the county administrator's only (403 otherwise).
    kind = serializers.ChoiceField(choices=ImportKind.choices, default=ImportKind.APPLICATIONS)


class PovertyLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = PovertyLine
        fields = ["year", "amount"]


class TransferSerializer(serializers.ModelSerializer):
    """A transfer between regions: who released the household and when, who answered and how."""

    household_file = serializers.CharField(source="household.file_number", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    from_village_name = serializers.CharField(source="from_village.name", read_only=True)
    to_village_name = serializers.CharField(source="to_village.name", read_only=True)
    released_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = HouseholdTransfer
        fields = [
            "id", "household", "household_file", "head_name", "from_village", "from_village_name",
            "to_village", "to_village_name", "reason", "note", "status", "released_by", "released_at",
            "decided_by", "decided_at", "decision_note", "updated_at",
        ]  # fmt: skip


class TransferDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "decline", "cancel"])
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class CityDuplicateMemberSerializer(serializers.ModelSerializer):
    birth_year = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = ["id", "name", "id_number_masked", "relation", "sex", "birth_year"]

    def get_birth_year(self, member) -> int | None:
        return member.birth_date.year if member.birth_date else None


class CityDuplicateSideSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["id", "file_number", "head_name", "village", "village_name", "status", "phone", "members"]

    def get_members(self, household) -> list[dict]:
        # household.members is prefetched by the list view (DuplicateCityListApi).
        members = sorted((m for m in household.members.all() if m.is_active), key=lambda m: m.pk)
        return CityDuplicateMemberSerializer(members, many=True).data


class CityDuplicateSerializer(serializers.ModelSerializer):
    """A pair across counties, both sides in full (the city reviewer's view)."""

    household_a = CityDuplicateSideSerializer(read_only=True)
    household_b = CityDuplicateSideSerializer(read_only=True)
    reviewed_by = serializers.StringRelatedField()

    class Meta:
        model = DuplicateCandidate
        fields = [
            "id", "reason", "status", "household_a", "household_b", "keep_household", "reviewed_by",
            "reviewed_at", "note", "created_at", "updated_at",
        ]  # fmt: skip


class CityDuplicateReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["different", "same_person"])
    keep = serializers.IntegerField(required=False, help_text="Household id that keeps the person")
    note = serializers.CharField(max_length=1000)
