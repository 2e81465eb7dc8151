from django.urls import path

from . import views

urlpatterns = [
    path("funds/", views.FundListApi.as_view(), name="funds_fund_list"),
    path("funds/<int:pk>/", views.FundDetailApi.as_view(), name="funds_fund_detail"),
    path("funds/<int:pk>/budget/", views.FundBudgetApi.as_view(), name="funds_fund_budget"),
    path("funds/<int:pk>/allocations/", views.FundAllocationApi.as_view(), name="funds_fund_allocate"),
    path("projects/", views.ProjectListApi.as_view(), name="funds_project_list"),
    path("projects/<int:pk>/", views.ProjectDetailApi.as_view(), name="funds_project_detail"),
    path("accounts/", views.AccountListApi.as_view(), name="funds_account_list"),
    path("accounts/<int:pk>/ledger/", views.AccountLedgerApi.as_view(), name="funds_account_ledger"),
    path("entries/", views.EntryListApi.as_view(), name="funds_entry_list"),
    path("entries/<int:pk>/", views.EntryDetailApi.as_view(), name="funds_entry_detail"),
    path("entries/<int:pk>/reverse/", views.EntryReverseApi.as_view(), name="funds_entry_reverse"),
    path("disbursements/", views.RequestListApi.as_view(), name="funds_request_list"),
    path("disbursements/<int:pk>/", views.RequestDetailApi.as_view(), name="funds_request_detail"),
    path("disbursements/<int:pk>/approve/", views.RequestApproveApi.as_view(), name="funds_request_approve"),
    path("disbursements/<int:pk>/reject/", views.RequestRejectApi.as_view(), name="funds_request_reject"),
    path("disbursements/<int:pk>/reverse/", views.RequestReverseApi.as_view(), name="funds_request_reverse"),
    path("reconciliation/", views.ReconciliationApi.as_view(), name="funds_reconciliation"),
    path("flags/", views.FlagListApi.as_view(), name="funds_flags"),
]
