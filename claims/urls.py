from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("recurring/", views.RecurringAssertionListView.as_view(), name="recurring-list"),
    path(
        "recurring/<slug:slug>/",
        views.RecurringAssertionDetailView.as_view(),
        name="recurring-detail",
    ),
    path("statuses/", views.StatusListView.as_view(), name="status-list"),
    path("changes/", views.ChangeListView.as_view(), name="change-list"),
]
