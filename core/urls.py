from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("officers/", views.OfficerListView.as_view(), name="officer_list"),
    path("officers/<int:pk>/", views.OfficerDetailView.as_view(), name="officer_detail"),
    path("officers/<int:pk>/edit/", views.OfficerEditView.as_view(), name="officer_edit"),
]
