from django.urls import path

from . import views, views_fit

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
]
