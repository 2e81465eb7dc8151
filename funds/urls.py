from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("funds/<int:pk>/", views.FundDetailView.as_view(), name="fund_detail"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectFormView.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectFormView.as_view(), name="project_edit"),
    path("disbursements/", views.RequestListView.as_view(), name="request_list"),
    path("disbursements/new/", views.RequestCreateView.as_view(), name="request_create"),
    path("disbursements/<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path(
        "disbursements/<int:pk>/approve/",
        views.RequestActionView.as_view(
            action="approve", permission_required="funds.approve_disbursementrequest"
        ),
        name="request_approve",
    ),
    path(
        "disbursements/<int:pk>/reject/",
        views.RequestActionView.as_view(
            action="reject", permission_required="funds.reject_disbursementrequest"
        ),
        name="request_reject",
    ),
    path(
        "disbursements/<int:pk>/reverse/",
        views.RequestActionView.as_view(action="reverse", permission_required="funds.add_entry"),
        name="request_reverse",
    ),
    path("accounts/<int:pk>/", views.AccountLedgerView.as_view(), name="account_ledger"),
    path("entries/<int:pk>/", views.EntryDetailView.as_view(), name="entry_detail"),
    path("reconciliation/", views.ReconciliationView.as_view(), name="reconciliation"),
]
