from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.functional import lazy

from accounts import views as accounts_views
from core import views as core_views
from mail.emails import sender

admin.site.site_header = "ServiceCRM administration"

urlpatterns = [
    path("", include("today.urls")),
    path("login/", accounts_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's password reset, at the root with Django's URL names (settings.PUBLIC_VIEWS opens them to all).
    # From the business like every email (mail.emails.sender), read when the email is sent.
    path("password/reset/", accounts_views.PasswordResetView.as_view(from_email=lazy(sender, str)()),
         name="password_reset"),
    path("password/reset/sent/",
         auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
         name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(template_name="accounts/password_reset_confirm.html"),
         name="password_reset_confirm"),
    path("password/reset/complete/",
         auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
         name="password_reset_complete"),
    path("account/", include("accounts.urls")),
    path("", include("customers.urls")),
    path("", include("interactions.urls")),
    path("", include("followups.urls")),
    path("feedback/", include("feedback.urls")),
    path("plans/", include("actionplans.urls")),
    path("", include("offline.urls")),  # at the root: /sw.js must control the whole site
    path("team/", include("team.urls")),
    path("mail/", include("mail.urls")),
    path("", include("trash.urls")),
    path("", include("health.urls")),
    path("insights/", include("insights.urls")),
    path("", include("merge.urls")),
    path("", include("imports.urls")),
    path("", include("backup.urls")),
    path("exports/", include("exports.urls")),
    path("settings/business/", core_views.business_settings_edit, name="business_settings"),
    path("admin/", admin.site.urls),
]
