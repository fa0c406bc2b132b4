"""Which tables a backup holds and how each comes back, decided per model in one place.

Every model of the project's own apps is in, found through django.apps, so a model added later is backed up
without a change here (its history model too). A model of Django or of a library is in only when it is named
below; tests/backup/test_every_model.py fails on a model that is neither backed up nor excluded with a reason.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model

# Not in a backup, each for its reason.
EXCLUDED = {
    # The admin's own log of what was changed through it: it names rows by content type and text id, and the
    # changes themselves are in each model's history, which is backed up.
    "admin.logentry": "the admin's log; the changes are in each model's history",
    # Sign-ins: everyone signs in again after a restore, with a new password (passwords are never backed up).
    "sessions.session": "sign-ins, which end with a restore",
    # django-axes: sign-in attempts, lockouts and the sign-in log of this server, tied to client addresses and
    # kept minutes to days; not the business's data.
    "axes.accessattempt": "sign-in attempts of this server",
    "axes.accessattemptexpiration": "lockout expiries of this server",
    "axes.accessfailurelog": "failed sign-ins of this server",
    "axes.accesslog": "the sign-in log of this server",
    # When this installation's beat last ticked (/healthz): the restored installation's beat writes its own.
    "core.heartbeat": "the last beat tick of this installation",
}

# Rows that migrations create in every database, so the new database has them already, possibly under other ids.
# They are in the backup so that rows pointing at them can be pointed at the same row in the new database, found
# by these fields (foreign keys among them translated first).
MATCHED = {
    "contenttypes.contenttype": ("app_label", "model"),
    "auth.permission": ("content_type_id", "codename"),
    # The roles Owner and Field worker (accounts' migrations); a group the owner added in the admin is created.
    "auth.group": ("name",),
}

# Tables migrations fill, whose rows the backup replaces: the new database's rows are deleted first.
REPLACED = {
    # The one row of business settings (pk 1), created with the defaults by core's migration.
    "core.businesssettings",
    # What each group may do in the admin: post_migrate grants the Owner group every permission.
    "auth.group_permissions",
}

# Django's and the libraries' tables whose rows are the business's and are restored as they were.
ALSO_RESTORED = {"auth.group_permissions"}


def omitted_fields(model) -> set[str]:
    """Columns never written: a password hash leaves no database (restored users choose a new password)."""
    return {"password"} if model is get_user_model() else set()


def columns(model) -> list:
    """The concrete fields a backup writes for `model`, in the table's order."""
    left_out = omitted_fields(model)
    return [field for field in model._meta.concrete_fields if field.attname not in left_out]


def is_project_app(app_config) -> bool:
    """An app of this repository, not one installed with pip (the virtualenv may sit inside the repository)."""
    path = Path(app_config.path).resolve()
    return path.is_relative_to(Path(settings.BASE_DIR).resolve()) and "site-packages" not in path.parts


def all_models() -> list:
    """Every table Django manages, many-to-many link tables included."""
    return [
        model for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def label(model) -> str:
    return model._meta.label_lower


def is_backed_up(model) -> bool:
    name = label(model)
    if name in EXCLUDED:
        return False
    return is_project_app(model._meta.app_config) or name in MATCHED or name in ALSO_RESTORED


def backed_up_models() -> list:
    """The models whose rows go into a backup, in a stable order."""
    return sorted((model for model in all_models() if is_backed_up(model)), key=label)


def restored_models() -> list:
    """The models whose rows a restore writes (the matched ones are only looked up)."""
    return [model for model in backed_up_models() if label(model) not in MATCHED]


def unaccounted_models() -> list[str]:
    """Models neither backed up nor excluded: a library's model added later, until someone decides."""
    return sorted(label(model) for model in all_models() if not is_backed_up(model) and label(model) not in EXCLUDED)
