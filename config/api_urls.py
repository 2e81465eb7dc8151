from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("core.api.urls")),
    path("households/", include("households.api.urls")),
    path("assistance/", include("assistance.api.urls")),
    path("funds/", include("funds.api.urls")),
    path("inspections/", include("inspections.api.urls")),
    path("policies/", include("policies.api.urls")),
    path("accountability/", include("accountability.api.urls")),
    path("dashboard/", include("dashboard.api.urls")),
]
