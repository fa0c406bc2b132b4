from django.urls import re_path

from . import views

# "/healthz" as monitors expect it, and "/healthz/" too; the URL name is public (settings.PUBLIC_VIEWS).
urlpatterns = [
    re_path(r"^healthz/?$", views.healthz, name="healthz"),
]
