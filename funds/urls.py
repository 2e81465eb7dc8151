from django.urls import path

from core.pickers import PickerView

from . import pickers, views

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
    # A payee's page (a household, or an enterprise or cooperative): payments, card, status, flags.
    path("payees/", views.PayeeListView.as_view(), name="payee_list"),
    path("payees/<int:pk>/", views.PayeeView.as_view(), name="payee_detail"),
    path("payees/households/<int:pk>/", views.HouseholdPayeeView.as_view(), name="payee_household"),
    path("disbursements/<int:pk>/withdraw/", views.RequestWithdrawView.as_view(), name="request_withdraw"),
    # Look-ups of the request form (core.pickers): JSON, scoped to the reader's region.
    path("pick/households/", PickerView.as_view(source=pickers.HOUSEHOLDS), name="pick_households"),
    path("pick/measures/", PickerView.as_view(source=pickers.MEASURES), name="pick_measures"),
    path("pick/payees/", PickerView.as_view(source=pickers.PAYEES), name="pick_payees"),
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
    path("settings/", views.PaymentSettingsView.as_view(), name="payment_settings"),
    path("reconciliation/", views.ReconciliationView.as_view(), name="reconciliation"),
    # Month-end batch review (issue 20.3) and the bank's files (issue 20.4).
    path("batches/", views.BatchListView.as_view(), name="batch_list"),
    path("batches/<int:pk>/pages/<int:number>/", views.BatchPageView.as_view(), name="batch_page"),
    path(
        "batches/<int:pk>/reviews/<int:page_pk>/confirm/",
        views.BatchConfirmView.as_view(),
        name="batch_confirm",
    ),
    path("batches/<int:pk>/reviews/<int:page_pk>/", views.BatchResultView.as_view(), name="batch_result"),
    path("bank/", views.BankHomeView.as_view(), name="bank_home"),
    path("bank/files/<int:pk>/", views.PaymentFileView.as_view(), name="payment_file"),
    path(
        "bank/files/<int:pk>/download/", views.PaymentFileDownloadView.as_view(), name="payment_file_download"
    ),
    path("bank/returns/<int:pk>/", views.BankReturnView.as_view(), name="bank_return"),
]
