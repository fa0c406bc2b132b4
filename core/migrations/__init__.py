"""core's migrations, and helpers for migrations that move a model from one app to another.

(The helpers live in this package's __init__ because `core.migrations` is the migrations package:
a core/migrations.py module beside it would be shadowed.)
"""


def move_content_type(old_app: str, new_app: str, model: str):
    """A RunPython pair that re-labels the model's content type, so its permissions (and the Owner group's
    grants of them) and any admin log entries follow the model instead of being created anew."""

    def relabel(apps, schema_editor, source, target):
        content_types = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        if content_types.objects.using(db).filter(app_label=target, model=model).exists():
            return  # created by an earlier run of post_migrate: nothing to move
        content_types.objects.using(db).filter(app_label=source, model=model).update(app_label=target)

    def forwards(apps, schema_editor):
        relabel(apps, schema_editor, old_app, new_app)

    def backwards(apps, schema_editor):
        relabel(apps, schema_editor, new_app, old_app)

    return forwards, backwards
