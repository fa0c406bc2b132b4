# The sent-log table takes its new app's name, with every row; the content type (so the permissions
# and the Owner group's grants) follows.

from django.db import migrations

from core.migrations import move_content_type

forwards, backwards = move_content_type("reminders", "mail", "sentemail")


class Migration(migrations.Migration):

    dependencies = [
        ('mail', '0001_initial'),
        ('reminders', '0002_sentemail_moved'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterModelTable(name='sentemail', table=None),
        migrations.RunPython(forwards, backwards),
    ]
