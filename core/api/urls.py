from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.MeApi.as_view(), name="me"),
    path("tokens/", views.TokenListApi.as_view(), name="token_list"),
    path("tokens/<int:pk>/revoke/", views.TokenRevokeApi.as_view(), name="token_revoke"),
    path("regions/", views.RegionListApi.as_view(), name="region_list"),
    path("units/", views.UnitListApi.as_view(), name="unit_list"),
    path("officers/", views.OfficerListApi.as_view(), name="officer_list"),
    path("officers/<int:pk>/", views.OfficerDetailApi.as_view(), name="officer_detail"),
    path("reveals/", views.RevealListApi.as_view(), name="reveal_list"),
]
