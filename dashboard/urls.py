from django.urls import path

from . import board_views, views

app_name = "dashboard"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("region/<str:code>/", views.OverviewView.as_view(), name="region"),
    path("region/<str:code>/rows/<str:metric>/", views.FigureRowsView.as_view(), name="rows"),
    path("six-ones/", board_views.BoardView.as_view(), name="board"),
    path("six-ones/<str:code>/", board_views.BoardView.as_view(), name="board_region"),
    path("six-ones/<str:code>/lines/<str:line>/", board_views.BoardRowsView.as_view(), name="board_rows"),
    path(
        "six-ones/<str:code>/targets/<str:target>/",
        board_views.TargetRowsView.as_view(),
        name="board_target_rows",
    ),
]
