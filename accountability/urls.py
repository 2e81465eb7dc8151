from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
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
    path(
        "bulletins/<int:pk>/regenerate/", views.BulletinRegenerateView.as_view(), name="bulletin_regenerate"
    ),
]
