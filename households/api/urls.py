from django.urls import path

from . import across
from . import views as v
from .views import candidates as c
from .views import crosschecks as cc
from .views import feed as fd
from .views import guarantees as g
from .views import signoffs as so
from .views import targets as t
from .views import village_exits as ve

urlpatterns = [
    path("", v.HouseholdListCreateApi.as_view(), name="household_list"),
    path("search/", v.HouseholdSearchApi.as_view(), name="household_search"),
    path("feed/", fd.HouseholdFeedApi.as_view(), name="household_feed"),  # issue 22: the change feed
    path("<int:pk>/", v.HouseholdDetailApi.as_view(), name="household_detail"),
    path("<int:pk>/members/", v.MemberListCreateApi.as_view(), name="member_list"),
    path("<int:pk>/members/<int:member_pk>/", v.MemberDetailApi.as_view(), name="member_detail"),
    path(
        "<int:pk>/members/<int:member_pk>/id-number/", v.MemberIdNumberApi.as_view(), name="member_id_number"
    ),
    path("<int:pk>/incomes/", v.IncomeApi.as_view(), name="income"),
    path("<int:pk>/procedures/", v.ProcedureListApi.as_view(), name="procedure_list"),
    path("<int:pk>/procedures/<str:kind>/", v.ProcedureStepApi.as_view(), name="procedure_step"),
    path("<int:pk>/status/", v.StatusApi.as_view(), name="status"),
    path("<int:pk>/move/", v.MoveApi.as_view(), name="move"),
    path("<int:pk>/guarantees/", g.GuaranteesApi.as_view(), name="guarantees"),
    path("<int:pk>/guarantees/appraisal/", g.GuaranteeAppraisalApi.as_view(), name="guarantee_appraisal"),
    path("<int:pk>/guarantees/<str:what>/", g.GuaranteeRecordApi.as_view(), name="guarantee_record"),
    path("guarantees/to-confirm/", g.GuaranteesToConfirmApi.as_view(), name="guarantees_to_confirm"),
    path("exit-due/", c.ExitDueListApi.as_view(), name="exit_due_list"),
    path("omissions/", c.OmissionCandidateListApi.as_view(), name="omission_list"),
    path("omissions/<int:pk>/decide/", c.OmissionDecideApi.as_view(), name="omission_decide"),
    path("targets/", t.ExitTargetListApi.as_view(), name="exit_target_list"),  # issue 18.5
    path("duplicates/", v.DuplicateListApi.as_view(), name="duplicate_list"),
    path("duplicates/<int:pk>/review/", v.DuplicateReviewApi.as_view(), name="duplicate_review"),
    path("duplicates/city/", across.DuplicateCityListApi.as_view(), name="duplicate_city_list"),
    path(
        "duplicates/city/<int:pk>/review/",
        across.DuplicateCityReviewApi.as_view(),
        name="duplicate_city_review",
    ),
    path("transfers/", across.TransferListApi.as_view(), name="transfer_list"),
    path("transfers/<int:pk>/decide/", across.TransferDecideApi.as_view(), name="transfer_decide"),
    path("campaigns/", v.CampaignListCreateApi.as_view(), name="campaign_list"),
    path("campaigns/<int:pk>/", v.CampaignDetailApi.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/checks/", v.CampaignCheckListApi.as_view(), name="campaign_checks"),
    path("checks/<int:pk>/", v.CheckRecordApi.as_view(), name="check"),
    path("imports/", v.ImportCreateApi.as_view(), name="import_create"),
    path("imports/<int:pk>/", v.ImportStatusApi.as_view(), name="import_status"),
    path("imports/<int:pk>/error-report/", v.ImportErrorReportApi.as_view(), name="import_error_report"),
    path("poverty-lines/", v.PovertyLineApi.as_view(), name="poverty_lines"),
    # 贫困村退出 (issue 18.4) and the townships' sign-offs (issue 18.6)
    path("villages/", ve.VillageListApi.as_view(), name="village_list"),
    path("villages/<str:code>/exit/", ve.VillageExitApi.as_view(), name="village_exit"),
    path("villages/<str:code>/population/", ve.VillagePopulationApi.as_view(), name="village_population"),
    path("signoffs/", so.SignOffListApi.as_view(), name="signoff_list"),
    path("signoffs/<int:pk>/", so.SignOffDetailApi.as_view(), name="signoff_detail"),
    path("signoffs/<int:pk>/withdraw/", so.SignOffWithdrawApi.as_view(), name="signoff_withdraw"),
    # 数据比对 (issue 17.6)
    path("crosschecks/", cc.CrossCheckRunCreateApi.as_view(), name="crosscheck_create"),
    path("crosschecks/<int:pk>/", cc.CrossCheckRunApi.as_view(), name="crosscheck_run"),
    path("crosschecks/flags/", cc.CrossCheckFlagListApi.as_view(), name="crosscheck_flags"),
    path("crosschecks/flags/<int:pk>/", cc.CrossCheckFlagDecideApi.as_view(), name="crosscheck_flag"),
]
