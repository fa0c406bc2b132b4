from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import LoginForm

admin.site.site_header = "ServiceCRM administration"

urlpatterns = [
    path("", include("today.urls")),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm,
                                     redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    path("", include("customers.urls")),
    path("", include("interactions.urls")),
    path("", include("followups.urls")),
    path("feedback/", include("feedback.urls")),
    path("plans/", include("actionplans.urls")),
    path("", include("offline.urls")),  # at the root: /sw.js must control the whole site
    path("team/", include("team.urls")),
    path("", include("health.urls")),
    path("admin/", admin.site.urls),
]
