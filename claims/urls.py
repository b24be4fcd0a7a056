from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/export.csv", views.ClaimExportView.as_view(format="csv"), name="claim-export-csv"),
    path("claims/export.json", views.ClaimExportView.as_view(format="json"), name="claim-export-json"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("claims/<int:pk>/annotation.json", views.ClaimAnnotationView.as_view(), name="claim-annotation"),
    path("statuses/", views.StatusListView.as_view(), name="status-list"),
    path("changes/", views.ChangeListView.as_view(), name="change-list"),
    path("changes/feed/", views.ChangeFeed(), name="change-feed"),
]
