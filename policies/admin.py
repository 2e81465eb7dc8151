from django.contrib import admin

from .models import Policy, PolicyTask


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["system", "number", "title", "issued_on"]


@admin.register(PolicyTask)
class PolicyTaskAdmin(admin.ModelAdmin):
    list_display = ["policy", "recipient", "deadline", "status"]
    list_filter = ["status"]
