from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from runstrong.api.api import api
from runstrong.web.coaching.views import calendar, home, invite

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", home.health, name="health"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("invite/<str:token>/", invite.accept, name="invite"),
    path("calendar/<str:token>.ics", calendar.feed, name="calendar-feed"),
    path("calendar/squad/<str:token>.ics", calendar.squad_feed, name="squad-calendar-feed"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("runstrong.web.coaching.urls")),
]
