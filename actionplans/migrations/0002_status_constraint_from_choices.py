# The status constraint is now built from PlanStatus.values, which lists the same statuses in the choices' order.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("actionplans", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="actionplan",
            name="actionplan_status_valid",
        ),
        migrations.AddConstraint(
            model_name="actionplan",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["active", "draft", "done", "archived"])),
                name="actionplan_status_valid",
            ),
        ),
    ]
