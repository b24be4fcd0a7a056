from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("", include("claims.urls")),
    path("", include("archive.urls")),
]

handler500 = "config.views.server_error"
