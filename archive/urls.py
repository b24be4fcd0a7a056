from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("letters/", views.LetterListView.as_view(), name="letter-list"),
    path("letters/correspondence/", views.CorrespondenceView.as_view(), name="correspondence"),
    path("letters/<slug:slug>/", views.LetterDetailView.as_view(), name="letter-detail"),
    path("sources/<slug:slug>.txt", views.SourceTextView.as_view(), name="source-text"),
    path("actors/", views.ActorListView.as_view(), name="actor-list"),
    path("actors/<slug:slug>/", views.ActorDetailView.as_view(), name="actor-detail"),
]
