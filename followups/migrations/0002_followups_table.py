# The follow-ups table takes its new app's name, with every row, and the content type (so the
# permissions and the Owner group's grants) follows.

from django.db import migrations

from core.migrations import move_content_type

forwards, backwards = move_content_type("interactions", "followups", "followup")


class Migration(migrations.Migration):

    dependencies = [
        ('followups', '0001_initial'),
        ('interactions', '0003_followup_moved'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterModelTable(name='followup', table=None),
        migrations.RunPython(forwards, backwards),
    ]
