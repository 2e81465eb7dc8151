from rest_framework import serializers

from core.models import ApiToken, Officer, Region, SensitiveAccess, Unit, User


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "is_poor_village"]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "department", "region", "parent", "is_active", "updated_at"]


class OfficerOutputSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Officer
        fields = [
            "id", "name", "position", "unit", "unit_name", "region", "region_name",
            "phone", "is_active", "created_at", "updated_at",
        ]  # fmt: skip


class OfficerUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False)
    position = serializers.CharField(max_length=100, required=False)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    read_only = serializers.BooleanField(source="is_read_only")

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "region", "officer", "roles", "read_only"]

    def get_roles(self, obj) -> list[str]:
        return sorted(obj.role_codes)


class TokenOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "key_prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]


class RevealSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    user_full_name = serializers.CharField(source="user.full_name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True, default=None)
    household = serializers.IntegerField(source="household_id", read_only=True, allow_null=True)

    class Meta:
        model = SensitiveAccess
        fields = [
            "id", "at", "user", "username", "user_full_name", "object_type", "object_id", "field",
            "channel", "path", "region", "region_name", "household",
        ]  # fmt: skip
