from django.urls import path

from core.pickers import PickerView

from . import annual_views, case_views, views

app_name = "accountability"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("cases/propose/", case_views.CaseProposeView.as_view(), name="case_propose"),
    # Look-ups of the proposal form (core.pickers): JSON, scoped to the reader's region.
    path("pick/officers/", PickerView.as_view(source=case_views.OFFICERS), name="pick_officers"),
    path("pick/units/", PickerView.as_view(source=case_views.UNITS), name="pick_units"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/confirm/", views.CaseActionView.as_view(action="confirm"), name="case_confirm"),
    path("cases/<int:pk>/dismiss/", views.CaseActionView.as_view(action="dismiss"), name="case_dismiss"),
    path("cases/<int:pk>/close/", views.CaseActionView.as_view(action="close"), name="case_close"),
    path("responsibilities/", views.ResponsibilityListView.as_view(), name="responsibility_list"),
    path("responsibilities/add/", views.ResponsibilityCreateView.as_view(), name="responsibility_add"),
    path("scores/", views.ScoreListView.as_view(), name="score_list"),
    path("scores/<int:pk>/", views.ScoreDetailView.as_view(), name="score_detail"),
    path("officers/<int:pk>/", views.OfficerRecordView.as_view(), name="officer_record"),
    path("me/", views.MyRecordView.as_view(), name="my_record"),
    path("bulletins/", views.BulletinListView.as_view(), name="bulletin_list"),
    path("bulletins/latest/", views.BulletinLatestView.as_view(), name="bulletin_latest"),
    path("bulletins/<int:pk>/", views.BulletinDetailView.as_view(), name="bulletin_detail"),
    path("bulletins/<int:pk>/xlsx/", views.BulletinXlsxView.as_view(), name="bulletin_xlsx"),
    path("bulletins/<int:pk>/compare/", views.BulletinCompareView.as_view(), name="bulletin_compare"),
    path(
        "bulletins/<int:pk>/regenerate/", views.BulletinRegenerateView.as_view(), name="bulletin_regenerate"
    ),
    # 年度成效考核, appeals, the annual bulletin, vetoes, rectification acceptance (issue 19.1-19.3)
    path("grades/", annual_views.GradeListView.as_view(), name="grade_list"),
    path("grades/add/", annual_views.GradeCreateView.as_view(), name="grade_add"),
    path("grades/<int:pk>/", annual_views.GradeDetailView.as_view(), name="grade_detail"),
    path("grades/<int:pk>/appeal/", annual_views.GradeAppealView.as_view(), name="grade_appeal"),
    path("appeals/<int:pk>/decide/", annual_views.AppealDecideView.as_view(), name="appeal_decide"),
    path("annual-bulletins/", annual_views.AnnualBulletinListView.as_view(), name="annual_bulletin_list"),
    path(
        "annual-bulletins/publish/",
        annual_views.AnnualBulletinPublishView.as_view(),
        name="annual_bulletin_publish",
    ),
    path(
        "annual-bulletins/<int:pk>/",
        annual_views.AnnualBulletinDetailView.as_view(),
        name="annual_bulletin_detail",
    ),
    path(
        "annual-bulletins/<int:pk>/xlsx/",
        annual_views.AnnualBulletinXlsxView.as_view(),
        name="annual_bulletin_xlsx",
    ),
    path("vetoes/", annual_views.VetoListView.as_view(), name="veto_list"),
    path("vetoes/xlsx/", annual_views.VetoXlsxView.as_view(), name="veto_xlsx"),
    path("reviews/", annual_views.ReviewListView.as_view(), name="review_list"),
    path("reviews/add/", annual_views.ReviewCreateView.as_view(), name="review_add"),
]
