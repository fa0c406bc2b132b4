# The sent-log moves here from reminders: every outgoing email claims its row in it. The table and
# its rows stay where they are in this step; 0002 renames it once reminders has let go of the model.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reminders', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='SentEmail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('reminder', 'Daily follow-up reminder'), ('digest', 'Weekly email')], max_length=10, verbose_name='kind')),
                        ('period', models.CharField(max_length=10, verbose_name='period')),
                        ('status', models.CharField(choices=[('claimed', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed, will retry'), ('skipped', 'Nothing to send')], default='claimed', max_length=10, verbose_name='status')),
                        ('claimed_at', models.DateTimeField(verbose_name='claimed')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                        ('attempts', models.PositiveIntegerField(default=1, verbose_name='attempts')),
                        ('message_id', models.CharField(blank=True, max_length=200, verbose_name='Message-ID')),
                        ('subject', models.CharField(blank=True, max_length=200, verbose_name='subject')),
                        ('last_error', models.CharField(blank=True, max_length=500, verbose_name='last error')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sent_emails', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['-claimed_at', '-id'],
                        'db_table': 'reminders_sentemail',
                        'indexes': [models.Index(condition=models.Q(('status__in', ['claimed', 'failed'])), fields=['kind', 'period'], name='sentemail_unfinished_idx')],
                        'constraints': [models.UniqueConstraint(fields=('user', 'kind', 'period'), name='sentemail_once_per_period'), models.CheckConstraint(condition=models.Q(('kind__in', ['reminder', 'digest'])), name='sentemail_kind_valid'), models.CheckConstraint(condition=models.Q(('status__in', ['claimed', 'sent', 'failed', 'skipped'])), name='sentemail_status_valid'), models.CheckConstraint(condition=models.Q(models.Q(('sent_at__isnull', False), ('status', 'sent')), models.Q(('status', 'sent'), _negated=True), _connector='OR'), name='sentemail_sent_has_time'), models.CheckConstraint(condition=models.Q(('attempts__gte', 1)), name='sentemail_attempts_positive')],
                    },
                ),
            ],
        ),
    ]
