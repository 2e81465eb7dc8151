from django.urls import path

from . import views

urlpatterns = [
    path("", views.PolicyListApi.as_view(), name="policies_policy_list"),
    path("tasks/", views.TaskListApi.as_view(), name="policies_task_list"),
    path("tasks/<int:pk>/", views.TaskDetailApi.as_view(), name="policies_task_detail"),
    path("tasks/<int:pk>/evidence/", views.TaskEvidenceApi.as_view(), name="policies_task_evidence"),
]
