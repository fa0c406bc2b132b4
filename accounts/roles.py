"""The two roles as Django groups, and what each may do in the admin."""

from django.contrib.auth.models import Group, Permission

from .models import OWNER_GROUP


def grant_owner_permissions(using="default", **kwargs):
    """post_migrate: the Owner group holds every model permission, so an owner who is not a
    superuser (added to the group in the admin) can still use the admin for every model.

    Runs after each app's migrations, so permissions of apps added later are granted too.
    """
    group, _ = Group.objects.using(using).get_or_create(name=OWNER_GROUP)
    missing = Permission.objects.using(using).exclude(group=group)
    group.permissions.add(*missing)
