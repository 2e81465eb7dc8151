from django.urls import path

from . import views, views_fieldwork, views_fit

app_name = "assistance"

urlpatterns = [
    path("households/<int:household_id>/plan/", views.PlanView.as_view(), name="plan"),
    path("households/<int:household_id>/plan/create/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/measures/", views.MeasureAddView.as_view(), name="measure_add"),
    path("measures/<int:pk>/transition/", views.MeasureTransitionView.as_view(), name="measure_transition"),
    path("measures/<int:pk>/details/", views_fit.MeasureDetailsView.as_view(), name="measure_details"),
    path("measures/<int:pk>/evidence/", views.EvidenceUploadView.as_view(), name="evidence_upload"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("worklist/", views.WorklistView.as_view(), name="worklist"),
    path("teams/", views.TeamListView.as_view(), name="team_list"),
    path("teams/new/", views.TeamFormView.as_view(), name="team_create"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", views.TeamFormView.as_view(), name="team_edit"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("kinds/", views_fit.KindCauseListView.as_view(), name="kind_causes"),
    path("kinds/add/", views_fit.KindCauseAddView.as_view(), name="kind_cause_add"),
    path("fit-reviews/", views_fit.FitReviewListView.as_view(), name="fit_reviews"),
    path("fit-reviews/scan/", views_fit.FitReviewScanView.as_view(), name="fit_review_scan"),
    path("fit-reviews/<int:pk>/decide/", views_fit.FitReviewDecideView.as_view(), name="fit_review_decide"),
    path("export.xlsx", views.ExportView.as_view(), name="export"),
    # 帮扶责任人, 走访记录, 驻村 (views_fieldwork)
    path(
        "households/<int:household_id>/officer/",
        views_fieldwork.HouseholdOfficerView.as_view(),
        name="household_officer",
    ),
    path("officers/", views_fieldwork.OfficerListView.as_view(), name="officer_list"),
    path("officers/accounts/", views_fieldwork.OfficerAccountsView.as_view(), name="officer_accounts"),
    path(
        "officers/<int:pk>/reassign/", views_fieldwork.OfficerReassignView.as_view(), name="officer_reassign"
    ),
    path("fieldwork-settings/", views_fieldwork.FieldworkSettingsView.as_view(), name="fieldwork_settings"),
    path("visits/", views_fieldwork.VisitListView.as_view(), name="visit_list"),
    path("visits/phone/", views_fieldwork.VisitPhoneView.as_view(), name="visit_phone"),
    path("visits/<int:pk>/photo/", views_fieldwork.VisitPhotoView.as_view(), name="visit_photo"),
    path("presence/", views_fieldwork.PresenceMonthView.as_view(), name="presence_month"),
    path("presence/phone/", views_fieldwork.PresencePhoneView.as_view(), name="presence_phone"),
    path(
        "villages-needing-team/",
        views_fieldwork.VillagesNeedingTeamView.as_view(),
        name="villages_needing_team",
    ),
]
