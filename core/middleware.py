"""Middleware every page goes through: who may see it, and how browsers may keep it."""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.utils.cache import patch_cache_control


class LoginRequiredExceptPublicMiddleware(LoginRequiredMiddleware):
    """Every page asks for a login, except the ones named in settings.PUBLIC_VIEWS: one list for the project."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name in settings.PUBLIC_VIEWS:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class PrivatePagesMiddleware:
    """Pages shown to a signed-in user carry customer data: no shared cache may keep them, and the browser
    asks again before showing a stored copy (the phone's offline copy is the service worker's, not this)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_cache=True)
        return response
