"""Demo users: the owner (unless there is one) and a field worker, each printed once with a password.

Sets run.shared["owner"], run.shared["worker"], and run.shared["users_by_weight"] (whom the demo gives work
to: the owner twice as often as the field worker).
"""

from decimal import Decimal

from core.business import business_settings
from core.management.demo import DemoStep, demo_steps
from core.services import business_settings_update

from .credentials import credentials_box
from .models import FIELD_WORKER_GROUP
from .selectors import existing_owner, user_by_username
from .services import DEFAULT_OWNER_USERNAME, field_worker_create, owner_create, user_group_add

FIELD_WORKER_USERNAME = "sam"


@demo_steps.register
class UsersDemo(DemoStep):
    order = 10

    def prepare(self):
        owner = existing_owner()
        if owner is None:
            owner, password = owner_create(username=DEFAULT_OWNER_USERNAME)
            self.print_credentials("Owner account created", owner.username, password)

        username = FIELD_WORKER_USERNAME if owner.username != FIELD_WORKER_USERNAME else f"{FIELD_WORKER_USERNAME}2"
        worker = user_by_username(username)
        if worker is None:
            worker, password = field_worker_create(
                username=username, first_name="Sam", last_name="Rivera", email="sam@example.com"
            )
            self.print_credentials("Field worker account created", worker.username, password)
        else:
            user_group_add(user=worker, group_name=FIELD_WORKER_GROUP)
        self.run.shared.update(owner=owner, worker=worker, users_by_weight=(owner, owner, worker))
        # What an hour of the crew's work costs, so that Insights can tell profitable customers from the others.
        settings_row = business_settings()
        if not settings_row.hourly_cost:
            business_settings_update(row=settings_row, data={"hourly_cost": Decimal("38.00")})

    def print_credentials(self, title, username, password):
        box = credentials_box(title=title, username=username, password=password, note="Shown only this once.")
        self.run.stdout.write(self.run.style.SUCCESS(box))
