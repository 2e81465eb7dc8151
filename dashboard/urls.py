from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("region/<str:code>/", views.OverviewView.as_view(), name="region"),
    path("region/<str:code>/rows/<str:metric>/", views.FigureRowsView.as_view(), name="rows"),
]
