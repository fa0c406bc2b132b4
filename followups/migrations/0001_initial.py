# Follow-ups move here from interactions. The table and its rows stay where they are in this
# step (the model state moves, the database does not); 0002 renames the table once nothing in the
# state points at interactions.FollowUp any more.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('customers', '0002_trigram_search'),
        ('interactions', '0002_amount_validators'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='FollowUp',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('description', models.CharField(max_length=300, verbose_name='what to do')),
                        ('due_date', models.DateField(verbose_name='due')),
                        ('attempts', models.PositiveIntegerField(default=1, verbose_name='attempts')),
                        ('outcome', models.TextField(blank=True, verbose_name='outcome')),
                        ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='done')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('assigned_to', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='followups', to=settings.AUTH_USER_MODEL, verbose_name='assigned to')),
                        ('created_by', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='followups', to='customers.customer')),
                        ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('interaction', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='followups', to='interactions.interaction')),
                    ],
                    options={
                        'ordering': ['due_date', 'id'],
                        'db_table': 'interactions_followup',
                    },
                ),
                migrations.AddIndex(
                    model_name='followup',
                    index=models.Index(condition=models.Q(('done_at__isnull', True)), fields=['assigned_to', 'due_date'], name='followup_open_by_assignee_idx'),
                ),
                migrations.AddIndex(
                    model_name='followup',
                    index=models.Index(fields=['customer', 'due_date'], name='followup_customer_idx'),
                ),
                migrations.AddConstraint(
                    model_name='followup',
                    constraint=models.CheckConstraint(condition=models.Q(('attempts__gte', 1)), name='followup_attempts_positive'),
                ),
                migrations.AddConstraint(
                    model_name='followup',
                    constraint=models.CheckConstraint(condition=models.Q(('description', ''), _negated=True), name='followup_description_not_empty'),
                ),
            ],
        ),
    ]
