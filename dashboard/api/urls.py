from django.urls import path

from . import board_views, target_views, views

urlpatterns = [
    path("overview/", views.OverviewApi.as_view(), name="dashboard_overview"),
    path("six-ones/", board_views.BoardApi.as_view(), name="dashboard_board"),
    path("targets/", target_views.TargetsApi.as_view(), name="dashboard_targets"),
    path("survey-trend/", target_views.TrendApi.as_view(), name="dashboard_trend"),
]
