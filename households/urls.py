from django.urls import path

from . import views as v
from . import views_across as across
from .views import candidates as candidates_views
from .views import card as card_views
from .views import crosschecks as crosscheck_views
from .views import guarantees as guarantees_views
from .views import signoffs as signoff_views
from .views import targets as targets_views
from .views import village_exits as village_views

app_name = "households"

urlpatterns = [
    path("", v.HouseholdListView.as_view(), name="list"),
    path("export.xlsx", v.HouseholdExportView.as_view(), name="export"),
    path("new/", v.HouseholdCreateView.as_view(), name="create"),
    path("<int:pk>/", v.HouseholdDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", v.HouseholdEditView.as_view(), name="edit"),
    # The printable 户卡 (issue 21)
    path("<int:pk>/card/", card_views.HouseholdCardView.as_view(), name="card"),
    path("<int:pk>/members/<int:member_pk>/id-number/", v.RevealIdNumberView.as_view(), name="reveal"),
    path("<int:pk>/procedure/<str:kind>/<str:step>/", v.StepView.as_view(), name="step"),
    path("<int:pk>/evidence/<int:evidence_pk>/", v.StepEvidenceView.as_view(), name="step_evidence"),
    path("<int:pk>/status/<str:action>/", v.StatusView.as_view(), name="status"),
    path("<int:pk>/move/", v.MoveView.as_view(), name="move"),
    path(
        "<int:pk>/guarantees/<str:what>/",
        guarantees_views.GuaranteeRecordView.as_view(),
        name="guarantee_record",
    ),
    path(
        "<int:pk>/appraisals/<int:appraisal_pk>/photo/",
        guarantees_views.AppraisalPhotoView.as_view(),
        name="appraisal_photo",
    ),
    path(
        "guarantees/to-confirm/",
        guarantees_views.GuaranteesToConfirmView.as_view(),
        name="guarantees_to_confirm",
    ),
    path("<int:pk>/income/", v.IncomeView.as_view(), name="income"),
    path("exit-due/", candidates_views.ExitDueListView.as_view(), name="exit_due"),
    path("omissions/", candidates_views.OmissionListView.as_view(), name="omissions"),
    path("omissions/<int:pk>/decide/", candidates_views.OmissionDecideView.as_view(), name="omission_decide"),
    # The year's targets (issue 18.5)
    path("targets/", targets_views.TargetListView.as_view(), name="targets"),
    path("targets/<str:code>/<int:year>/", targets_views.TargetRecordView.as_view(), name="target_record"),
    path("duplicates/", v.DuplicateListView.as_view(), name="duplicates"),
    path("duplicates/<int:pk>/review/", v.DuplicateReviewView.as_view(), name="duplicate_review"),
    path("duplicates/city/", across.DuplicateCityQueueView.as_view(), name="duplicate_city_queue"),
    path(
        "duplicates/city/<int:pk>/review/",
        across.DuplicateCityReviewView.as_view(),
        name="duplicate_city_review",
    ),
    path("transfers/", across.TransferListView.as_view(), name="transfers"),
    path("transfers/<int:pk>/decide/", across.TransferDecideView.as_view(), name="transfer_decide"),
    path("campaigns/", v.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/<int:pk>/", v.CampaignDetailView.as_view(), name="campaign"),
    path("checks/<int:pk>/", v.CheckView.as_view(), name="check"),
    path("import/", v.ImportView.as_view(), name="import"),
    path("import/template.xlsx", v.ImportTemplateView.as_view(), name="import_template"),
    path("import/<int:pk>/", v.ImportStatusView.as_view(), name="import_status"),
    path("import/<int:pk>/errors.xlsx", v.ImportReportView.as_view(), name="import_report"),
    # 贫困村退出 (issue 18.4)
    path("villages/", village_views.VillageListView.as_view(), name="villages"),
    path("villages/<str:code>/", village_views.VillageDetailView.as_view(), name="village_detail"),
    path(
        "villages/<str:code>/population/",
        village_views.VillagePopulationView.as_view(),
        name="village_population",
    ),
    path(
        "villages/<str:code>/exit/<str:step>/",
        village_views.VillageExitStepView.as_view(),
        name="village_exit_step",
    ),
    path(
        "villages/<str:code>/evidence/<int:pk>/",
        village_views.VillageExitEvidenceView.as_view(),
        name="village_exit_evidence",
    ),
    # 乡镇 sign-offs (issue 18.6)
    path("signoffs/", signoff_views.SignOffListView.as_view(), name="signoffs"),
    path(
        "signoffs/township/<str:code>/",
        signoff_views.TownshipSignOffView.as_view(),
        name="signoff_township",
    ),
    path("signoffs/<int:pk>/", signoff_views.SignOffDetailView.as_view(), name="signoff_detail"),
    path("signoffs/<int:pk>/withdraw/", signoff_views.SignOffWithdrawView.as_view(), name="signoff_withdraw"),
    # 数据比对 (issue 17.6)
    path("crosschecks/", crosscheck_views.CrossCheckUploadView.as_view(), name="crosschecks"),
    path("crosschecks/<int:pk>/", crosscheck_views.CrossCheckRunView.as_view(), name="crosscheck_run"),
    path("crosschecks/flags/", crosscheck_views.CrossCheckFlagListView.as_view(), name="crosscheck_flags"),
    path(
        "crosschecks/flags/<int:pk>/", crosscheck_views.CrossCheckFlagView.as_view(), name="crosscheck_flag"
    ),
]
