# SentEmail now lives in the mail app (mail/migrations/0001_initial.py): only the state forgets it here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reminders', '0001_initial'),
        ('mail', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='SentEmail'),
            ],
        ),
    ]
