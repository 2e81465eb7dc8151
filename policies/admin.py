from django.contrib import admin

from .models import Policy, PolicyTask


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["system", "number", "title", "issued_on"]


@admin.register(PolicyTask)
class PolicyTaskAdmin(admin.ModelAdmin):
    list_display = ["policy", "recipient", "deadline", "status"]
    list_filter = ["status"]
    # A task is implemented by its evidence (policies.services, core.transitions), never by hand here.
    readonly_fields = ["status", "implemented_at"]
