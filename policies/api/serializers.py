from rest_framework import serializers

from policies.models import Policy, PolicyEvidence, PolicyTask


class PolicySerializer(serializers.ModelSerializer):
    departments = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    task_count = serializers.IntegerField(read_only=True)
    implemented_count = serializers.IntegerField(read_only=True)
    overdue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Policy
        fields = ["id", "system", "number", "kind", "title", "document_number", "issued_on", "region",
                  "departments", "summary", "task_count", "implemented_count", "overdue_count", "updated_at"]  # fmt: skip


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyEvidence
        fields = ["id", "title", "url", "created_at"]


class TaskSerializer(serializers.ModelSerializer):
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    policy_title = serializers.CharField(source="policy.title", read_only=True)
    has_evidence = serializers.BooleanField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True, help_text="Deadline passed and no evidence.")
    evidence = EvidenceSerializer(many=True, read_only=True)
    rectification_items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PolicyTask
        fields = ["id", "policy", "policy_title", "recipient", "recipient_name", "region", "requirement",
                  "deadline", "status", "implemented_at", "has_evidence", "is_overdue", "evidence",
                  "rectification_items", "updated_at"]  # fmt: skip


class EvidenceInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    url = serializers.URLField(required=False, allow_blank=True)
    file = serializers.FileField(required=False)
