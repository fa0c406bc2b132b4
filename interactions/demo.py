"""Demo interactions: a history for every customer, the checklist answered in the words of a home-service crew.

Reads run.shared["users_by_weight"] (accounts/demo.py) and batch.rows["customers"] (customers/demo.py). Sets
batch.rows["interactions"], each with ``needs_followup``: whether followups/demo.py should add a follow-up.
"""

import datetime
import zoneinfo
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from core.management.demo import HISTORY_REASON, DemoStep, demo_steps
from customers.models import Customer

from .models import Interaction

ASKED_FOR = (
    "A quote for gutter cleaning before winter.",
    "To move the regular clean from Tuesday to Thursday.",
    "Whether we can fix a dripping kitchen tap.",
    "Spring clean-up of the flower beds.",
    "An extra clean before a family visit.",
    "Why the last visit ran late.",
    "Help hanging shelves in the garage.",
    "Price for weekly mowing this summer.",
)
ATTITUDE_NOTES = {
    1: ("Upset about the missed visit.", "Frustrated: second time it happened."),
    2: ("Disappointed with the edges of the lawn.", "Unhappy about the price rise."),
    3: ("Matter-of-fact.", "Busy, short call."),
    4: ("Friendly and relaxed.", "Pleased with the last visit."),
    5: ("Delighted: told a neighbour about us.", "Very happy; thanked the crew by name."),
}
WE_SAID_DID = (
    "Booked the visit and confirmed by text.",
    "Apologised, offered a free re-do on Friday.",
    "Sent a written quote the same day.",
    "Explained the seasonal schedule and prices.",
    "Fixed it on the spot; took ten minutes.",
    "Walked the garden together and agreed the plan.",
)
COULD_DO_BETTER = (
    "Call back sooner: they waited two days.",
    "Bring the right ladder the first time.",
    "Confirm the time the day before.",
    "",
    "",
)
MORE_SERVICES = (
    "Offer window cleaning with the spring clean.",
    "Suggest mulching the beds in May.",
    "They may want the deck stained next year.",
    "Bundle gutter cleaning with the autumn leaf clear.",
    "",
)

@demo_steps.register
class InteractionsDemo(DemoStep):
    order = 30

    def batch(self, batch):
        interactions = []
        for customer in batch.rows["customers"]:
            interactions.extend(self.make_interactions(customer))
        bulk_create_with_history(interactions, Interaction, default_date=self.run.now,
                                 default_change_reason=HISTORY_REASON)
        batch.rows["interactions"] = interactions

    def summary_total(self):
        return f"{Interaction.objects.count()} interactions"

    def make_interactions(self, customer):
        rng = self.run.rng
        if customer.status == Customer.Status.LEAD:
            how_many = rng.choice((1, 1, 2))
        else:
            how_many = rng.choice((0, 1, 2, 3, 3, 4, 5))
        # Showcase customers always have a history and an open follow-up.
        if customer.is_showcase:
            how_many = max(how_many, 3)
        result = []
        for n in range(how_many):
            recent = n == 0 and (customer.is_showcase or rng.random() < 0.5)
            days_ago = rng.randint(0, 6) if recent else rng.randint(1, 720)
            channel = rng.choices(Interaction.Channel.values, weights=(45, 35, 12, 8))[0]
            occurred_at = self.working_time(days_ago, channel)
            attitude = rng.choices((1, 2, 3, 4, 5), weights=(3, 7, 25, 40, 25))[0]
            # A visit's price follows what the customer is worth (customers/demo.py): a real 80/20 of revenue.
            value = getattr(customer, "value", 1.0)
            charged = (
                Decimal(round(rng.randint(45, 160) * value, 2)).quantize(Decimal("0.01"))
                if channel == Interaction.Channel.VISIT else Decimal(0)
            )
            refunded = Decimal(rng.choice((20, 35, 50))) if charged and attitude <= 2 and rng.random() < 0.5 else Decimal(0)
            interaction = Interaction(
                customer_id=customer.pk,
                user=rng.choice(self.run.shared["users_by_weight"]),
                channel=channel,
                direction=rng.choice(Interaction.Direction.values),
                occurred_at=occurred_at,
                duration_seconds=rng.randint(40, 900) if channel == Interaction.Channel.CALL else (
                    rng.randint(1800, 10800) if channel == Interaction.Channel.VISIT else None
                ),
                asked_for=rng.choice(ASKED_FOR),
                attitude=attitude,
                attitude_note=rng.choice(ATTITUDE_NOTES[attitude]),
                we_said_did=rng.choice(WE_SAID_DID),
                could_do_better=rng.choice(COULD_DO_BETTER),
                asked_for_sale=rng.random() < 0.5,
                asked_for_referral=rng.random() < 0.3,
                more_services_ideas=rng.choice(MORE_SERVICES),
                resolved_first_contact=rng.random() < 0.7,
                amount_charged=charged,
                amount_refunded=refunded,
            )
            interaction._history_user = interaction.user  # who logged it, in its "+" record
            # The newest interaction of a showcase customer always asks for a follow-up.
            interaction.needs_followup = (n == 0 and customer.is_showcase) or rng.random() < 0.3
            result.append(interaction)
        return result

    def working_time(self, days_ago: int, channel: str) -> datetime.datetime:
        """When a home-service crew works, in the owner's zone: weekdays mostly, calls peaking first thing and at
        the end of the day, visits through the middle of it; so Insights has peak and low times to show."""
        rng = self.run.rng
        zone = zoneinfo.ZoneInfo(self.run.shared["owner"].time_zone or "UTC")
        day = (self.run.now.astimezone(zone) - datetime.timedelta(days=days_ago)).date()
        if day.weekday() == 6 or (day.weekday() == 5 and rng.random() < 0.7):
            day -= datetime.timedelta(days=day.weekday() - 4)  # moved to the Friday before
        if channel == Interaction.Channel.VISIT:
            hour = rng.choices(range(8, 17), weights=(4, 8, 9, 8, 5, 7, 8, 6, 3))[0]
        else:
            hour = rng.choices(range(7, 20), weights=(3, 9, 12, 8, 6, 5, 4, 5, 7, 10, 8, 3, 1))[0]
        local = datetime.datetime.combine(day, datetime.time(hour, rng.randint(0, 59)), tzinfo=zone)
        if local > self.run.now:  # later today: the same hour yesterday
            local -= datetime.timedelta(days=1)
        return local.astimezone(datetime.UTC)

