from django.urls import path

from . import board_views, export_views, target_views, views

app_name = "dashboard"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("region/<str:code>/", views.OverviewView.as_view(), name="region"),
    path("region/<str:code>/rows/<str:metric>/", views.FigureRowsView.as_view(), name="rows"),
    # Each drill-down row list as .xlsx: the same rows, all pages (issue 21)
    path(
        "region/<str:code>/rows/<str:metric>/export.xlsx",
        export_views.FigureRowsExportView.as_view(),
        name="rows_export",
    ),
    path("six-ones/", board_views.BoardView.as_view(), name="board"),
    path("six-ones/<str:code>/", board_views.BoardView.as_view(), name="board_region"),
    path("six-ones/<str:code>/lines/<str:line>/", board_views.BoardRowsView.as_view(), name="board_rows"),
    path(
        "six-ones/<str:code>/lines/<str:line>/export.xlsx",
        export_views.BoardRowsExportView.as_view(),
        name="board_rows_export",
    ),
    path(
        "six-ones/<str:code>/targets/<str:target>/",
        board_views.TargetRowsView.as_view(),
        name="board_target_rows",
    ),
    path(
        "six-ones/<str:code>/targets/<str:target>/export.xlsx",
        export_views.BoardTargetRowsExportView.as_view(),
        name="board_target_rows_export",
    ),
    # The year's targets (issue 18.5) and the 三个显著提升 trend (issue 19.11)
    path("targets/", target_views.TargetsView.as_view(), name="targets"),
    path("targets/<str:code>/", target_views.TargetsView.as_view(), name="targets_region"),
    path("targets/<str:code>/rows/<str:kind>/", target_views.TargetRowsView.as_view(), name="target_rows"),
    path(
        "targets/<str:code>/rows/<str:kind>/export.xlsx",
        export_views.TargetRowsExportView.as_view(),
        name="target_rows_export",
    ),
    path("trend/", target_views.TrendView.as_view(), name="trend"),
    path("trend/<str:code>/", target_views.TrendView.as_view(), name="trend_region"),
]
