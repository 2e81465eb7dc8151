from django.urls import path

from core.pickers import PickerView

from . import board_views, pickers, spot_check_views, survey_views, views

app_name = "inspections"

urlpatterns = [
    path("", views.FindingListView.as_view(), name="finding_list"),
    path("findings/new/", views.FindingCreateView.as_view(), name="finding_create"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    # Look-ups of the finding forms (core.pickers): JSON, scoped to the reader's region.
    path("pick/units/", PickerView.as_view(source=pickers.UNITS), name="pick_units"),
    path("pick/villages/", PickerView.as_view(source=pickers.VILLAGES), name="pick_villages"),
    path("pick/households/", PickerView.as_view(source=pickers.HOUSEHOLDS), name="pick_households"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("file/", views.ReportFilingView.as_view(), name="report_file"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("ledger/", views.ItemListView.as_view(), name="item_list"),
    path("ledger/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("ledger/<int:pk>/evidence/<int:file_pk>/", views.EvidenceFileView.as_view(), name="evidence_file"),
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("problem-lists/", views.ProblemListListView.as_view(), name="problem_list_list"),
    path("problem-lists/import/", views.ProblemListImportView.as_view(), name="problem_list_import"),
    path("problem-lists/<int:pk>/", views.ProblemListDetailView.as_view(), name="problem_list_detail"),
    path("recipients/<int:pk>/", views.RecipientDetailView.as_view(), name="recipient_detail"),
    path("reports/<int:pk>/surveys/", survey_views.ReportSurveyView.as_view(), name="report_surveys"),
    path("surveys/", survey_views.SurveyRatesView.as_view(), name="survey_rates"),
    path("team-checks/", survey_views.TeamCheckListView.as_view(), name="team_check_list"),
    path("team-checks/new/", spot_check_views.SpotCheckView.as_view(), name="spot_check"),
    path(
        "plans/<int:pk>/teams/<int:team_id>/check/", survey_views.TeamCheckView.as_view(), name="team_check"
    ),
    path("board/<str:code>/", board_views.PublicBoardView.as_view(), name="board"),
]
