"""Demo follow-ups for the interactions that asked for one: most old ones done, the first six spread over
every section of Today for both users.

Reads run.today, run.shared["users_by_weight"] (accounts/demo.py) and batch.rows["interactions"] (with
``needs_followup``, interactions/demo.py).
"""

import datetime

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.management.demo import HISTORY_REASON, DemoStep, demo_steps

from .models import FollowUp

FOLLOWUP_DESCRIPTIONS = (
    "Call back with the gutter-cleaning quote",
    "Confirm next week's visit time",
    "Ask how the new schedule is working",
    "Send photos of the finished patio",
    "Check the tap is still not dripping",
    "Ask for a referral after the spring clean-up",
    "Call once more about the summer mowing plan",
    "Book the autumn leaf clear",
)
OUTCOMES = (
    "Booked for Thursday.",
    "Happy with it; no change.",
    "Left a voicemail, then they called back and agreed.",
    "Declined for now; ask again in spring.",
)


@demo_steps.register
class FollowUpsDemo(DemoStep):
    order = 40

    def prepare(self):
        self.followup_count = 0

    def batch(self, batch):
        bulk_create_with_history(
            [self.make_followup(interaction) for interaction in batch.rows["interactions"] if interaction.needs_followup],
            FollowUp, default_date=self.run.now, default_change_reason=HISTORY_REASON,
        )

    def summary_total(self):
        return f"{FollowUp.objects.count()} follow-ups"

    def make_followup(self, interaction):
        rng = self.run.rng
        # The first six cover every Today section for both users; the rest are random.
        slot = self.followup_count
        self.followup_count += 1
        if slot < 6:
            assignee = self.run.shared["users_by_weight"][0] if slot % 2 == 0 else self.run.shared["users_by_weight"][2]
            due = self.run.today + datetime.timedelta(days=(-3, 0, 3)[slot // 2])
            done = False
        else:
            assignee = rng.choice(self.run.shared["users_by_weight"])
            interaction_day = timezone.localdate(interaction.occurred_at)
            due = interaction_day + datetime.timedelta(days=rng.randint(1, 14))
            # Most old follow-ups are done; a few slipped through and are overdue.
            done = due < self.run.today and rng.random() < 0.85
        done_at = None
        if done:
            done_at = timezone.make_aware(datetime.datetime.combine(due, datetime.time(rng.randint(8, 17))))
        followup = FollowUp(
            customer_id=interaction.customer_id,
            interaction=interaction,
            description=rng.choice(FOLLOWUP_DESCRIPTIONS),
            due_date=due,
            assigned_to=assignee,
            created_by=interaction.user,
            attempts=rng.choice((1, 1, 1, 2, 3)),
            outcome=rng.choice(OUTCOMES) if done else "",
            done_at=done_at,
            done_by=assignee if done else None,
        )
        followup._history_user = interaction.user  # who set it, in its "+" record
        return followup
