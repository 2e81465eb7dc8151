from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.PolicyListView.as_view(), name="policy_list"),
    path("<int:pk>/", views.PolicyDetailView.as_view(), name="policy_detail"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("evidence/<int:pk>/", views.EvidenceFileView.as_view(), name="evidence_file"),
]
