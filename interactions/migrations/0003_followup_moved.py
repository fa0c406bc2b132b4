# FollowUp now lives in the followups app (followups/migrations/0001_initial.py): only the state
# forgets it here; the table is renamed by followups 0002.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('interactions', '0002_amount_validators'),
        ('followups', '0001_initial'),
        ('feedback', '0002_followup_moved'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='FollowUp'),
            ],
        ),
    ]
