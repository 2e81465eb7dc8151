from django.contrib import admin

from .models import InspectionGroup, PublicBoardSettings


@admin.register(PublicBoardSettings)
class PublicBoardSettingsAdmin(admin.ModelAdmin):
    """The administrator's switch for the public notice board (公示栏)."""

    list_display = ["__str__", "enabled", "updated_at"]
    list_editable = ["enabled"]
    list_display_links = ["__str__"]

    def has_add_permission(self, request):
        return not PublicBoardSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InspectionGroup)
class InspectionGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "leader", "is_active"]
    filter_horizontal = ["inspectors"]
    raw_id_fields = ["leader"]
