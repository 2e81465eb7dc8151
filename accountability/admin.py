from django.contrib import admin

from .models import AccountabilitySettings


@admin.register(AccountabilitySettings)
class AccountabilitySettingsAdmin(admin.ModelAdmin):
    """The days the document leaves to the city: to appeal an annual grade, to decide a proposed case.
    One row; without it (or once deleted) the defaults apply (AccountabilitySettings.current)."""

    list_display = ["__str__", "appeal_days", "case_decision_days"]
    list_editable = ["appeal_days", "case_decision_days"]
    list_display_links = ["__str__"]

    def has_add_permission(self, request):
        return not AccountabilitySettings.objects.exists()
