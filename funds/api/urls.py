from django.urls import path

from . import views

urlpatterns = [
    path("funds/", views.FundListApi.as_view(), name="funds_fund_list"),
    path("funds/<int:pk>/", views.FundDetailApi.as_view(), name="funds_fund_detail"),
    path("funds/<int:pk>/budget/", views.FundBudgetApi.as_view(), name="funds_fund_budget"),
    path("funds/<int:pk>/allocations/", views.FundAllocationApi.as_view(), name="funds_fund_allocate"),
    path("projects/", views.ProjectListApi.as_view(), name="funds_project_list"),
    path("projects/<int:pk>/", views.ProjectDetailApi.as_view(), name="funds_project_detail"),
    path("payment-rules/", views.PaymentRulesApi.as_view(), name="funds_payment_rules"),
    path("payment-rules/limits/", views.PaymentLimitApi.as_view(), name="funds_payment_limit"),
    path(
        "projects/<int:pk>/contract-changes/",
        views.ContractChangeListApi.as_view(),
        name="funds_project_contract_changes",
    ),
    path("accounts/", views.AccountListApi.as_view(), name="funds_account_list"),
    path("accounts/<int:pk>/ledger/", views.AccountLedgerApi.as_view(), name="funds_account_ledger"),
    path("entries/", views.EntryListApi.as_view(), name="funds_entry_list"),
    path("entries/<int:pk>/", views.EntryDetailApi.as_view(), name="funds_entry_detail"),
    path("entries/<int:pk>/reverse/", views.EntryReverseApi.as_view(), name="funds_entry_reverse"),
    path("disbursements/", views.RequestListApi.as_view(), name="funds_request_list"),
    path("disbursements/preview/", views.RequestPreviewApi.as_view(), name="funds_request_preview"),
    path("disbursements/<int:pk>/", views.RequestDetailApi.as_view(), name="funds_request_detail"),
    path(
        "disbursements/<int:pk>/withdraw/", views.RequestWithdrawApi.as_view(), name="funds_request_withdraw"
    ),
    path("disbursements/<int:pk>/approve/", views.RequestApproveApi.as_view(), name="funds_request_approve"),
    path("disbursements/<int:pk>/reject/", views.RequestRejectApi.as_view(), name="funds_request_reject"),
    path("disbursements/<int:pk>/reverse/", views.RequestReverseApi.as_view(), name="funds_request_reverse"),
    path("reconciliation/", views.ReconciliationApi.as_view(), name="funds_reconciliation"),
    path("flags/", views.FlagListApi.as_view(), name="funds_flags"),
    path("batches/", views.BatchListApi.as_view(), name="funds_batch_list"),
    path("batches/<int:pk>/pages/<int:number>/", views.BatchPageApi.as_view(), name="funds_batch_page"),
    path(
        "batches/<int:pk>/reviews/<int:page_pk>/confirm/",
        views.BatchConfirmApi.as_view(),
        name="funds_batch_confirm",
    ),
    path("bank/payment-files/", views.PaymentFileListApi.as_view(), name="funds_payment_file_list"),
    path(
        "bank/payment-files/<int:pk>/", views.PaymentFileDetailApi.as_view(), name="funds_payment_file_detail"
    ),
    path("bank/cards/", views.BankCardApi.as_view(), name="funds_bank_card"),
    path("bank/returns/", views.BankReturnListApi.as_view(), name="funds_bank_return_list"),
    path("bank/returns/<int:pk>/", views.BankReturnDetailApi.as_view(), name="funds_bank_return_detail"),
    path("payees/", views.PayeeListApi.as_view(), name="funds_payee_list"),
]
