"""The file-format pages, under the names and namespaces of the domain they export.

config/urls.py adds `claim_formats` to the `claims` namespace and `letter_formats` to
`archive`'s, so `{% url 'claims:claim-export-csv' %}` and every address stay as they were.
"""

from django.urls import path

from . import views

claim_formats = [
    path("claims/export.csv", views.ClaimExportView.as_view(format="csv"), name="claim-export-csv"),
    path(
        "claims/export.json", views.ClaimExportView.as_view(format="json"), name="claim-export-json"
    ),
    path(
        "claims/<int:pk>/annotation.json",
        views.ClaimAnnotationView.as_view(),
        name="claim-annotation",
    ),
    path(
        "claims/annotations.json", views.ArchiveAnnotationsView.as_view(), name="claim-annotations"
    ),
    path("changes/feed/", views.ChangeFeed(), name="change-feed"),
]

letter_formats = [
    path("letters/cmif.xml", views.CmifView.as_view(), name="letter-cmif"),
    path(
        "letters/<slug:slug>/annotations.json",
        views.LetterAnnotationsView.as_view(),
        name="letter-annotations",
    ),
]
