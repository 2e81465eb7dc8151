from rest_framework import serializers

from ..models import (
    AnswerStatus,
    Finding,
    FindingCategory,
    FindingPhoto,
    FindingSource,
    InspectionGroup,
    ItemKind,
    ItemStatusChange,
    Notification,
    ProblemAnswer,
    ProblemListRecipient,
    ProvinceProblemList,
    RectificationItem,
    Severity,
    VisitPlan,
    VisitReport,
    VisitTarget,
)


class InspectionGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionGroup
        fields = ["id", "name", "kind", "unit", "region", "leader", "is_active", "updated_at"]


class VisitTargetSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    household_name = serializers.CharField(source="household.head_name", read_only=True, default=None)

    class Meta:
        model = VisitTarget
        fields = ["position", "kind", "region", "region_name", "household", "household_name", "team"]


class VisitPlanSerializer(serializers.ModelSerializer):
    group_name = serializers.CharField(source="group.name", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = VisitPlan
        fields = [
            "id", "group", "group_name", "month", "county", "county_name", "department", "status", "seed",
            "algorithm_version", "filed_at", "created_at", "updated_at",
        ]  # fmt: skip


class VisitPlanDetailSerializer(VisitPlanSerializer):
    targets = VisitTargetSerializer(many=True, read_only=True)

    class Meta(VisitPlanSerializer.Meta):
        fields = [*VisitPlanSerializer.Meta.fields, "draw_inputs", "targets"]


class VisitPlanDrawInputSerializer(serializers.Serializer):
    group = serializers.PrimaryKeyRelatedField(queryset=InspectionGroup.objects.all())
    county = serializers.CharField(max_length=12)
    # A city department (领导小组成员单位) inspected at the grassroots of `county` (optional).
    department = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    month = serializers.DateField()
    townships = serializers.IntegerField(min_value=1, max_value=20, default=2)
    villages_per_township = serializers.IntegerField(min_value=1, max_value=20, default=2)
    households_per_village = serializers.IntegerField(min_value=1, max_value=20, default=3)


class FindingPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = FindingPhoto
        fields = ["id", "client_uuid", "content_type", "size", "url", "created_at"]

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("inspections:photo", args=[obj.pk])


class InspectionFindingSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    responsible_unit_name = serializers.CharField(
        source="responsible_unit.name", read_only=True, default=None
    )

    class Meta:
        model = Finding
        fields = [
            "id", "client_uuid", "report", "source", "source_reference", "category", "severity", "description",
            "region", "region_name", "household", "project", "measure", "responsible_unit",
            "responsible_unit_name", "responsible_officers", "status", "confirmed_at", "created_at", "updated_at",
        ]  # fmt: skip


class InspectionFindingDetailSerializer(InspectionFindingSerializer):
    photos = FindingPhotoSerializer(many=True, read_only=True)

    class Meta(InspectionFindingSerializer.Meta):
        fields = [*InspectionFindingSerializer.Meta.fields, "photos"]


class InspectionFindingInputSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(required=False)
    category = serializers.ChoiceField(choices=FindingCategory.choices)
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.MINOR)
    description = serializers.CharField()
    village = serializers.CharField(max_length=12, required=False, allow_blank=True)
    household = serializers.IntegerField(required=False, allow_null=True)
    responsible_unit = serializers.IntegerField(required=False, allow_null=True)
    responsible_officers = serializers.ListField(child=serializers.IntegerField(), required=False)
    project = serializers.IntegerField(required=False, allow_null=True, help_text="funds.Project id")
    measure = serializers.IntegerField(required=False, allow_null=True, help_text="assistance.Measure id")


class InspectionFindingCreateSerializer(InspectionFindingInputSerializer):
    source = serializers.ChoiceField(choices=FindingSource.choices)
    source_reference = serializers.CharField(required=False, allow_blank=True, max_length=200)
    county = serializers.CharField(max_length=12)


class VisitReportSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True, default=None)
    group_name = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = VisitReport
        fields = [
            "id", "client_uuid", "plan", "group", "group_name", "county", "county_name", "village", "village_name",
            "visit_date", "place", "households_visited_count", "summary", "status", "filed_at", "created_at",
            "updated_at",
        ]  # fmt: skip


class VisitReportDetailSerializer(VisitReportSerializer):
    findings = InspectionFindingDetailSerializer(many=True, read_only=True)
    households_visited = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(VisitReportSerializer.Meta):
        fields = [*VisitReportSerializer.Meta.fields, "households_visited", "findings"]


class VisitReportSubmitSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    plan = serializers.IntegerField(required=False, allow_null=True)
    group = serializers.IntegerField(required=False, allow_null=True)
    county = serializers.CharField(max_length=12, required=False, allow_blank=True)
    village = serializers.CharField(max_length=12, required=False, allow_blank=True)
    visit_date = serializers.CharField()
    place = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True)
    households_visited = serializers.ListField(child=serializers.IntegerField(), required=False)
    households_visited_count = serializers.IntegerField(min_value=0, required=False, default=0)
    findings = InspectionFindingInputSerializer(many=True, required=False)
    file = serializers.BooleanField(
        default=False, help_text="File the report at once (after photos, send false)."
    )


class FindingPhotoUploadSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    photo = serializers.FileField()


class ItemStatusChangeSerializer(serializers.ModelSerializer):
    # Who, as their name reads; null for a change the system made (it read "None").
    actor_name = serializers.CharField(source="actor", read_only=True, default=None)

    class Meta:
        model = ItemStatusChange
        fields = ["from_status", "to_status", "actor", "actor_name", "at", "note"]


class RectificationItemSerializer(serializers.ModelSerializer):
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True)

    class Meta:
        model = RectificationItem
        fields = [
            "id", "finding", "description", "responsible_unit", "responsible_unit_name", "region", "kind",
            "deadline", "status", "evidence_note", "submitted_at", "closed_at", "closed_by", "sent_back_reason",
            "overdue_since", "created_at", "updated_at",
        ]  # fmt: skip


class RectificationItemDetailSerializer(RectificationItemSerializer):
    status_changes = ItemStatusChangeSerializer(many=True, read_only=True)

    class Meta(RectificationItemSerializer.Meta):
        fields = [*RectificationItemSerializer.Meta.fields, "status_changes"]


class RectificationItemCreateSerializer(serializers.Serializer):
    finding = serializers.IntegerField()
    responsible_unit = serializers.IntegerField()
    deadline = serializers.DateField()
    description = serializers.CharField()
    kind = serializers.ChoiceField(choices=ItemKind.choices, default=ItemKind.COMMON)


class RectificationItemSubmitSerializer(serializers.Serializer):
    evidence_note = serializers.CharField(allow_blank=True)
    files = serializers.ListField(child=serializers.FileField(), required=False)


class RectificationItemCloseSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


class RectificationItemSendBackSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class InspectionNotificationSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "unit",
            "unit_name",
            "kind",
            "message",
            "url",
            "item",
            "read_at",
            "created_at",
            "updated_at",
        ]


class ProvinceProblemListSerializer(serializers.ModelSerializer):
    problem_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProvinceProblemList
        fields = [
            "id",
            "title",
            "issued_by",
            "issued_on",
            "answer_deadline",
            "sent_at",
            "problem_count",
            "updated_at",
        ]


class ProvinceProblemListImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(max_length=200)
    issued_by = serializers.CharField(max_length=100, required=False, allow_blank=True)
    issued_on = serializers.DateField()
    answer_deadline = serializers.DateField()


class ProblemListRecipientProgressSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    total = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)
    present = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProblemListRecipient
        fields = ["id", "unit", "unit_name", "region", "total", "answered", "present", "updated_at"]


class ProblemAnswerSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="problem.number", read_only=True)
    problem_description = serializers.CharField(source="problem.description", read_only=True)
    must_accept = serializers.BooleanField(source="problem.must_accept", read_only=True)
    evidence_count = serializers.SerializerMethodField()

    def get_evidence_count(self, obj) -> int:
        return len(obj.evidence_files.all())

    class Meta:
        model = ProblemAnswer
        fields = [
            "id",
            "number",
            "problem",
            "problem_description",
            "status",
            "note",
            "must_accept",
            "root_cause",
            "rectification_plan",
            "answered_late",
            "review_note",
            "reviewed_at",
            "evidence_count",
            "finding",
            "answered_at",
            "updated_at",
        ]


class ProblemAnswerItemSerializer(serializers.Serializer):
    description = serializers.CharField()
    deadline = serializers.DateField()
    kind = serializers.ChoiceField(choices=ItemKind.choices, default=ItemKind.COMMON)


class ProblemAnswerInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[AnswerStatus.ABSENT, AnswerStatus.PRESENT])
    note = serializers.CharField(required=False, allow_blank=True)
    root_cause = serializers.CharField(required=False, allow_blank=True)
    rectification_plan = serializers.CharField(required=False, allow_blank=True)
    items = ProblemAnswerItemSerializer(many=True, required=False)


class ProblemAnswerAbsentSerializer(serializers.Serializer):
    """An answer "not present here": the note, and its evidence files (multipart field `files`)."""

    note = serializers.CharField(required=False, allow_blank=True)
    files = serializers.ListField(child=serializers.FileField(), required=False, help_text="At least one.")


class ProblemAnswerReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "return"])
    note = serializers.CharField(required=False, allow_blank=True)
