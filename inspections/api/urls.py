from django.urls import path

from . import survey_views as sv
from . import views as v

app_name = "inspections_api"

urlpatterns = [
    path("groups/", v.GroupListApi.as_view(), name="group_list"),
    path("plans/", v.PlanListApi.as_view(), name="plan_list"),
    path("plans/<int:pk>/", v.PlanDetailApi.as_view(), name="plan_detail"),
    path("plans/<int:pk>/verify/", v.PlanVerifyApi.as_view(), name="plan_verify"),
    path("reports/", v.ReportListApi.as_view(), name="report_list"),
    path("reports/submit/", v.ReportSubmitApi.as_view(), name="report_submit"),
    path("reports/<int:pk>/", v.ReportDetailApi.as_view(), name="report_detail"),
    path("reports/<int:pk>/file/", v.ReportFileApi.as_view(), name="report_file"),
    path("reports/<int:pk>/surveys/", sv.ReportSurveysApi.as_view(), name="report_surveys"),
    path("surveys/rates/", sv.SurveyRatesApi.as_view(), name="survey_rates"),
    path("team-checks/", sv.TeamCheckListApi.as_view(), name="team_check_list"),
    path("findings/", v.FindingListApi.as_view(), name="finding_list"),
    path("findings/<int:pk>/", v.FindingDetailApi.as_view(), name="finding_detail"),
    path("findings/<int:pk>/photos/", v.FindingPhotoUploadApi.as_view(), name="finding_photo_upload"),
    path("items/", v.ItemListApi.as_view(), name="item_list"),
    path("items/export.xlsx", v.ItemExportApi.as_view(), name="item_export"),
    path("items/<int:pk>/", v.ItemDetailApi.as_view(), name="item_detail"),
    path("items/<int:pk>/submit/", v.ItemSubmitApi.as_view(), name="item_submit"),
    path("items/<int:pk>/close/", v.ItemCloseApi.as_view(), name="item_close"),
    path("items/<int:pk>/send-back/", v.ItemSendBackApi.as_view(), name="item_send_back"),
    path("notifications/", v.NotificationListApi.as_view(), name="notification_list"),
    path("notifications/<int:pk>/read/", v.NotificationReadApi.as_view(), name="notification_read"),
    path("problem-lists/", v.ProblemListListApi.as_view(), name="problem_list_list"),
    path("problem-lists/import/", v.ProblemListImportApi.as_view(), name="problem_list_import"),
    path("problem-lists/<int:pk>/send/", v.ProblemListSendApi.as_view(), name="problem_list_send"),
    path(
        "problem-lists/<int:pk>/recipients/",
        v.ProblemListRecipientsApi.as_view(),
        name="problem_list_recipients",
    ),
    path("recipients/<int:pk>/answers/", v.RecipientAnswersApi.as_view(), name="recipient_answers"),
    path("answers/<int:pk>/", v.AnswerApi.as_view(), name="answer"),
    path("answers/<int:pk>/absent/", v.AbsentAnswerApi.as_view(), name="answer_absent"),
]
