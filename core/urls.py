from django.urls import path

from . import account_views, views

app_name = "core"

urlpatterns = [
    path("officers/", views.OfficerListView.as_view(), name="officer_list"),
    path("officers/<int:pk>/", views.OfficerDetailView.as_view(), name="officer_detail"),
    path("officers/<int:pk>/edit/", views.OfficerEditView.as_view(), name="officer_edit"),
    # Who saw which full ID number: administrators and auditors, their region only.
    path("reveals/", account_views.RevealListView.as_view(), name="reveal_list"),
    # Accounts an administrator manages (their region only).
    path("users/", account_views.UserListView.as_view(), name="user_list"),
    path("users/new/", account_views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", account_views.UserDetailView.as_view(), name="user_detail"),
    path(
        "users/<int:pk>/password/", account_views.UserPasswordResetView.as_view(), name="user_password_reset"
    ),
    path("users/<int:pk>/active/", account_views.UserActiveView.as_view(), name="user_active"),
    path("service-accounts/", account_views.ServiceAccountListView.as_view(), name="service_account_list"),
    path(
        "service-accounts/new/",
        account_views.ServiceAccountCreateView.as_view(),
        name="service_account_create",
    ),
    path(
        "service-accounts/<int:pk>/",
        account_views.ServiceAccountDetailView.as_view(),
        name="service_account_detail",
    ),
    path(
        "service-accounts/<int:pk>/tokens/<int:token_pk>/revoke/",
        account_views.ServiceAccountTokenRevokeView.as_view(),
        name="service_account_token_revoke",
    ),
]
