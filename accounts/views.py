from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from core.http import safe_next_url

from . import services
from .forms import LoginForm, PasswordResetForm, ProfileForm
from .sessions import session_start


@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(user=request.user, data=form.cleaned_data)
        messages.success(request, _("Your settings are saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_password_change(user=request.user, password=form.cleaned_data["new_password1"])
        # The session was signed with the old password's hash: without this the user would be logged out.
        update_session_auth_hash(request, request.user)
        return redirect("accounts:password_done")
    return render(request, "accounts/password_change.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        # Django's own check lets through any relative text ("next=12" or "next=logout"): only our pages go.
        return safe_next_url(self.request)

    def form_valid(self, form):
        response = super().form_valid(form)
        session_start(self.request, keep_signed_in=form.cleaned_data["keep_signed_in"])
        return response


@require_POST
def sign_out_everywhere(request):
    """Every session of this user ends, this device's included: a lost phone loses its offline copy at its next
    request, and this device wipes its own with the answer to this one (accounts.middleware)."""
    services.user_sign_out_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("You are signed out on every device. Log in again to go on here."))
    return redirect("login")


def _link_lifetime(seconds: int) -> str:
    days, hours = seconds // 86400, max(1, seconds // 3600)
    if days >= 2:
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def _password_reset_rate(group, request) -> str:
    # Read per request, so that a test (or a changed setting) takes effect without a restart.
    return settings.PASSWORD_RESET_RATE_LIMIT


@method_decorator(ratelimit(group="password_reset", key="ip", rate=_password_reset_rate, method="POST", block=False),
                  name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset; the link in the email leads to SITE_URL, whatever host the request named.

    Known address, unknown address or too many requests from this client: the same answer ("check your
    email"), so the page tells nobody whether an address has an account.
    """

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    subject_template_name = "accounts/emails/password_reset-subject.txt"
    email_template_name = "accounts/emails/password_reset-body.txt"
    html_email_template_name = "accounts/emails/password_reset-body.html"

    def form_valid(self, form):
        if getattr(self.request, "limited", False):
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = {
            "business_name": settings.BUSINESS_NAME,
            "site_url": settings.SITE_URL,
            "valid_for": _link_lifetime(settings.PASSWORD_RESET_TIMEOUT),
        }
        return super().form_valid(form)
