from django.urls import path

from . import views, views_fieldwork, views_fit

urlpatterns = [
    path("plans/", views.PlanListCreateApi.as_view(), name="assistance_plan_list"),
    path("plans/<int:pk>/", views.PlanDetailApi.as_view(), name="assistance_plan_detail"),
    path("measures/", views.MeasureListCreateApi.as_view(), name="assistance_measure_list"),
    path("measures/<int:pk>/", views.MeasureDetailApi.as_view(), name="assistance_measure_detail"),
    path(
        "measures/<int:pk>/transition/",
        views.MeasureTransitionApi.as_view(),
        name="assistance_measure_transition",
    ),
    path(
        "measures/<int:pk>/evidence/", views.EvidenceUploadApi.as_view(), name="assistance_measure_evidence"
    ),
    path("teams/", views.TeamListCreateApi.as_view(), name="assistance_team_list"),
    path("teams/<int:pk>/", views.TeamDetailApi.as_view(), name="assistance_team_detail"),
    path("coverage/", views.CoverageApi.as_view(), name="assistance_coverage"),
    path("kind-causes/", views_fit.KindCauseListCreateApi.as_view(), name="assistance_kind_causes"),
    path("fit-reviews/", views_fit.FitReviewListApi.as_view(), name="assistance_fit_reviews"),
    path(
        "fit-reviews/<int:pk>/decide/",
        views_fit.FitReviewDecideApi.as_view(),
        name="assistance_fit_review_decide",
    ),
    # 帮扶责任人, 走访记录, 驻村
    path(
        "household-officers/",
        views_fieldwork.HouseholdOfficerListApi.as_view(),
        name="assistance_household_officers",
    ),
    path(
        "households/<int:pk>/officer/",
        views_fieldwork.HouseholdOfficerSetApi.as_view(),
        name="assistance_household_officer_set",
    ),
    path(
        "officers/<int:pk>/reassign/",
        views_fieldwork.OfficerReassignApi.as_view(),
        name="assistance_officer_reassign",
    ),
    path("visits/", views_fieldwork.VisitListCreateApi.as_view(), name="assistance_visits"),
    path("visits/<int:pk>/photo/", views_fieldwork.VisitPhotoApi.as_view(), name="assistance_visit_photo"),
    path("presence/", views_fieldwork.PresenceListCreateApi.as_view(), name="assistance_presence"),
    path("presence/month/", views_fieldwork.PresenceMonthApi.as_view(), name="assistance_presence_month"),
    path(
        "villages-needing-team/",
        views_fieldwork.VillagesNeedingTeamApi.as_view(),
        name="assistance_villages_needing_team",
    ),
]
