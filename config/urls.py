from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from core import accounts as core_accounts
from core import views as core_views
from core.api.schema import SchemaView

urlpatterns = [
    path("", core_views.HomeView.as_view(), name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    # Log-out also clears the site's caches and storage in the browser (core.accounts).
    path("accounts/logout/", core_accounts.LogoutView.as_view(), name="logout"),
    path("accounts/", include("core.account_urls")),
    path("admin/", admin.site.urls),
    # One canonical schema (core.api.schema.SchemaView): the same text whatever the language asked.
    path("api/schema/", SchemaView.as_view(), name="schema"),
    # The split view serves its start-up script from a URL: no inline script, so the CSP stays strict.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("api/v1/", include("config.api_urls")),
    path("org/", include("core.urls")),
]

# Each domain app mounts its pages under its own prefix.
for app_label, prefix in [
    ("households", "households/"),
    ("assistance", "assistance/"),
    ("funds", "funds/"),
    ("inspections", "inspections/"),
    ("policies", "policies/"),
    ("accountability", "accountability/"),
    ("dashboard", "dashboard/"),
]:
    urlpatterns.append(path(prefix, include(f"{app_label}.urls")))

handler400 = "core.views.error_400"
handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
