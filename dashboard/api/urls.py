from django.urls import path

from . import views

urlpatterns = [
    path("overview/", views.OverviewApi.as_view(), name="dashboard_overview"),
]
