from django.urls import path

from . import annual, views

urlpatterns = [
    path(
        "responsibilities/", views.ResponsibilityListApi.as_view(), name="accountability_responsibility_list"
    ),
    path(
        "responsibilities/<int:pk>/",
        views.ResponsibilityDetailApi.as_view(),
        name="accountability_responsibility_detail",
    ),
    path(
        "responsibilities/<int:pk>/end/",
        views.ResponsibilityEndApi.as_view(),
        name="accountability_responsibility_end",
    ),
    path("responsible-for/", views.ResponsibleForApi.as_view(), name="accountability_responsible_for"),
    path("schemes/", views.SchemeListApi.as_view(), name="accountability_scheme_list"),
    path("schemes/<int:pk>/", views.SchemeDetailApi.as_view(), name="accountability_scheme_detail"),
    path("scores/", views.ScoreListApi.as_view(), name="accountability_score_list"),
    path("annual-grades/", annual.AnnualGradeListApi.as_view(), name="accountability_grade_list"),
    path(
        "annual-grades/<int:pk>/", annual.AnnualGradeDetailApi.as_view(), name="accountability_grade_detail"
    ),
    path(
        "annual-grades/<int:pk>/appeal/", annual.GradeAppealApi.as_view(), name="accountability_grade_appeal"
    ),
    path("appeals/", annual.AppealListApi.as_view(), name="accountability_appeal_list"),
    path("appeals/<int:pk>/decide/", annual.AppealDecideApi.as_view(), name="accountability_appeal_decide"),
    path("vetoes/", annual.VetoListApi.as_view(), name="accountability_veto_list"),
    path("vetoes/xlsx/", annual.VetoXlsxApi.as_view(), name="accountability_veto_xlsx"),
    path("reviews/", annual.ReviewListApi.as_view(), name="accountability_review_list"),
    path(
        "annual-bulletins/",
        annual.AnnualBulletinListApi.as_view(),
        name="accountability_annual_bulletin_list",
    ),
    path(
        "annual-bulletins/<int:pk>/",
        annual.AnnualBulletinDetailApi.as_view(),
        name="accountability_annual_bulletin_detail",
    ),
    path(
        "annual-bulletins/<int:pk>/xlsx/",
        annual.AnnualBulletinXlsxApi.as_view(),
        name="accountability_annual_bulletin_xlsx",
    ),
    path("cases/", views.CaseListApi.as_view(), name="accountability_case_list"),
    path("cases/<int:pk>/", views.CaseDetailApi.as_view(), name="accountability_case_detail"),
    path("cases/<int:pk>/confirm/", views.CaseConfirmApi.as_view(), name="accountability_case_confirm"),
    path("cases/<int:pk>/dismiss/", views.CaseDismissApi.as_view(), name="accountability_case_dismiss"),
    path("cases/<int:pk>/close/", views.CaseCloseApi.as_view(), name="accountability_case_close"),
    path("bans/", views.BanListApi.as_view(), name="accountability_ban_list"),
    path("officers/<int:pk>/eligibility/", views.EligibilityApi.as_view(), name="accountability_eligibility"),
    path("bulletins/", views.BulletinListApi.as_view(), name="accountability_bulletin_list"),
    path("bulletins/<int:pk>/", views.BulletinDetailApi.as_view(), name="accountability_bulletin_detail"),
    path("bulletins/<int:pk>/xlsx/", views.BulletinXlsxApi.as_view(), name="accountability_bulletin_xlsx"),
    path(
        "bulletins/<int:pk>/regenerate/",
        views.BulletinRegenerateApi.as_view(),
        name="accountability_bulletin_regenerate",
    ),
]
