from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from runstrong.api.api import api
from runstrong.web.coaching.views import calendar, home, invite
from runstrong.web.coaching.views.password_reset import LimitedPasswordResetView

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", home.health, name="health"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's own password reset, with the app's templates (registration/password_reset_*);
    # the email goes through the same backend as invitations, at most so often.
    path("password/reset/", LimitedPasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            extra_context={"timeout_days": settings.PASSWORD_RESET_TIMEOUT // 86400}
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invite/<str:token>/", invite.accept, name="invite"),
    path("calendar/<str:token>.ics", calendar.feed, name="calendar-feed"),
    path("calendar/squad/<str:token>.ics", calendar.squad_feed, name="squad-calendar-feed"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("runstrong.web.coaching.urls")),
]
