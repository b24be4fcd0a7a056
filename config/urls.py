from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

import archive.urls
import claims.urls
import interchange.api.urls
from interchange.urls import claim_formats, letter_formats

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(interchange.api.urls)),
    path("healthz", views.healthz, name="healthz"),
    # Readers of a private archive (MISSIVE_PUBLIC=false) sign in here; editors may too.
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The file-format pages (interchange/) keep the domain's addresses and names.
    path("", include((claim_formats + claims.urls.urlpatterns, "claims"))),
    path("", include((letter_formats + archive.urls.urlpatterns, "archive"))),
]

handler500 = "config.views.server_error"
