from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from . import checks  # noqa: F401  (registers the settings checks)
        from .roles import grant_owner_permissions
        from .sessions import on_user_logged_in

        post_migrate.connect(grant_owner_permissions, dispatch_uid="accounts.grant_owner_permissions")
        user_logged_in.connect(on_user_logged_in, dispatch_uid="accounts.session_start")
