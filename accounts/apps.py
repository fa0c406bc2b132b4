from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from .roles import grant_owner_permissions

        post_migrate.connect(grant_owner_permissions, dispatch_uid="accounts.grant_owner_permissions")
