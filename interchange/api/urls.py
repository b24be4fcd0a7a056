from django.urls import path, re_path

from . import views

app_name = "api"
urlpatterns = [
    path("", views.Documentation.as_view(), name="documentation"),
    path("v1/openapi.json", views.OpenAPIDocument.as_view(), name="openapi"),
    path("v1/letters/", views.LetterList.as_view(), name="letter-list"),
    path("v1/letters/<slug:slug>/", views.LetterDetail.as_view(), name="letter-detail"),
    path("v1/claims/", views.ClaimList.as_view(), name="claim-list"),
    path("v1/claims/<int:pk>/", views.ClaimDetail.as_view(), name="claim-detail"),
    path("v1/actors/", views.ActorList.as_view(), name="actor-list"),
    path("v1/actors/<slug:slug>/", views.ActorDetail.as_view(), name="actor-detail"),
    path("v1/statuses/", views.StatusList.as_view(), name="status-list"),
    path("v1/responses/", views.ResponseList.as_view(), name="response-list"),
    path(
        "v1/requested-actions/",
        views.RequestedActionList.as_view(),
        name="requested-action-list",
    ),
    path(
        "v1/recurring-assertions/",
        views.RecurringAssertionList.as_view(),
        name="recurring-assertion-list",
    ),
    path(
        "v1/recurring-assertions/<slug:slug>/",
        views.RecurringAssertionDetail.as_view(),
        name="recurring-assertion-detail",
    ),
    # Any other address under v1/: a 404 in JSON, as a program reading the API expects.
    re_path(r"^v1/", views.not_found),
]
