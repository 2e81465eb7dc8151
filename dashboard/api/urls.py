from django.urls import path

from . import board_views, views

urlpatterns = [
    path("overview/", views.OverviewApi.as_view(), name="dashboard_overview"),
    path("six-ones/", board_views.BoardApi.as_view(), name="dashboard_board"),
]
