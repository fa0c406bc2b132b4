"""Demo data for a home-service business (cleaning, garden care, repairs), fast enough for 100,000 customers.

Standard-library random with a fixed seed and word lists of our own: the same command gives the same data.
Rows go in with bulk_create in batches (one transaction each), so Customer.save() is bypassed and the
derived look-up fields are filled with Customer.refresh_derived_fields() first.
"""

import datetime
import random
import secrets
import sys
from decimal import Decimal

import phonenumbers
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from accounts.management.commands.ensure_owner import DEFAULT_USERNAME, existing_owner, login_url, owner_create
from accounts.models import FIELD_WORKER_GROUP
from actionplans.demo import seed_plans
from core.text import fold
from customers.models import Customer, Tag
from feedback.demo import seed_feedback
from followups.models import FollowUp
from interactions.models import Interaction

FIELD_WORKER_USERNAME = "sam"

# Fictional 555 numbers in the Denver area codes; the 555-01xx block first. Each one is checked with
# phonenumbers.is_valid_number before use, so a metadata update can only skip numbers, never store bad ones.
AREA_CODES = ("303", "720", "970", "719")
LINE_NUMBERS = [n for n in range(100, 200)] + [n for n in range(10000) if not 100 <= n < 200]

TOWNS = (
    ("Denver", "802"), ("Aurora", "800"), ("Lakewood", "802"), ("Littleton", "801"), ("Englewood", "801"),
    ("Arvada", "800"), ("Westminster", "800"), ("Golden", "804"), ("Wheat Ridge", "800"), ("Centennial", "801"),
    ("Highlands Ranch", "801"), ("Thornton", "802"), ("Boulder", "803"), ("Louisville", "800"),
)
STREETS = (
    "Maple St", "Oak Ave", "Cedar Ln", "Pine St", "Elm Ct", "Aspen Way", "Juniper Dr", "Willow Rd", "Birch Pl",
    "Colfax Ave", "Sheridan Blvd", "Wadsworth Blvd", "Bluebell Ave", "Larkspur Dr", "Columbine Ct", "Spruce St",
    "Mesa Dr", "Ridge Rd", "Sunset Ln", "Meadow Way", "Canyon Blvd", "Holly St", "Poplar Ave", "Lilac Ln",
)
FIRST_NAMES = (
    "José", "Zoë", "María", "Chloé", "Renée", "Søren", "Inés", "François", "Agnès", "Björn", "Noémie", "Ramón",
    "Ana", "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
    "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Margaret", "Steven", "Sandra", "Paul",
    "Ashley", "Andrew", "Emily", "Joshua", "Donna", "Kevin", "Michelle", "Brian", "Carol", "George", "Amanda",
    "Priya", "Wei", "Aisha", "Kenji", "Fatima", "Olu", "Mei", "Dmitri", "Hannah", "Luis", "Grace", "Omar",
)
LAST_NAMES = (
    "Núñez", "Brontë", "García", "Müller", "Peña", "Ødegaard", "Lefèvre", "Åberg", "Muñoz", "Dvořák", "Žukauskas",
    "O'Brien", "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
    "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams",
    "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Patel", "Kim", "Chen", "Okafor",
)
COMPANY_WORDS = (
    "Summit", "Front Range", "Cherry Creek", "Red Rocks", "Mile High", "Bluebird", "Aspen", "Platte River",
    "Highline", "Golden Triangle", "Sloan's Lake", "Washington Park",
)
COMPANY_KINDS = (
    "Dental", "Café", "Property Management", "Yoga Studio", "Law Office", "Realty", "Veterinary Clinic",
    "Bakery", "Physical Therapy", "Accounting", "Daycare", "Bike Shop",
)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")

TAGS = ("weekly", "fortnightly", "monthly", "VIP", "garden", "commercial", "pets", "key holder", "seasonal")

ACCESS_NOTES = (
    "Gate code 4821#. Park on the street, the driveway is shared.",
    "Side gate, code 1973. Two friendly dogs (Bella and Max): close the gate behind you.",
    "Key in the lockbox by the back door, code 0612.",
    "Ring twice: she is hard of hearing. Cat must not get out.",
    "Visitor parking behind building B; buzz unit 14.",
    "Alarm panel in the hall, code given by phone on the day. Shoes off inside.",
    "Garage door keypad 2580. Hose tap is behind the shed.",
    "Large dog in the back yard: call ahead so it is inside.",
    "Loading dock on the alley side; reception signs us in.",
    "",
)
KEY_POINTS = (
    "3-bed bungalow, hardwood floors throughout.",
    "Large back garden with raised vegetable beds and a pond.",
    "Two-storey townhouse with steep stairs; no lift.",
    "Office suite: four rooms, kitchen and two restrooms.",
    "New build; builder's warranty on the windows.",
    "Old farmhouse, well water; fussy boiler in the basement.",
    "Corner lot, long hedge along the street side.",
    "Second home; empty most of the winter.",
)
PERSONALITIES = (
    "Chatty; likes to walk through the job first.",
    "Detail-oriented; reads the invoice line by line.",
    "Busy professional; prefers texts to calls.",
    "Warm and appreciative; often leaves a note.",
    "Direct, no small talk; wants it done right the first time.",
    "Retired teacher; loves to hear about the plants.",
)
WANTS = (
    "A spotless kitchen before weekend guests.",
    "A tidy lawn all summer without thinking about it.",
    "Fix the squeaky back door and the loose banister.",
    "Windows cleaned inside and out twice a year.",
    "A low-maintenance garden.",
    "Someone reliable they can hand a key to.",
    "The office clean before staff arrive on Monday.",
)
NEEDS = (
    "Regular fortnightly deep clean.",
    "Lawn mowed weekly May to September, leaves cleared in autumn.",
    "Gutters cleared before the first snow.",
    "Small repairs batched into one monthly visit.",
    "Move-out clean with a checklist for the landlord.",
    "Hedge trimmed twice a year.",
)
HARD_NEEDS = (
    "Fragrance-free products (asthma in the family).",
    "Hedge kept below the fence line.",
    "Finish by 3 pm, before school pick-up.",
    "Only pet-safe weed killer.",
    "Invoices addressed to the company, with a PO number.",
    "",
)
SOFT_NEEDS = (
    "Text 30 minutes before arriving.",
    "Same cleaner every visit, please.",
    "Likes to be called by her first name.",
    "Explain the cost before starting anything extra.",
    "Wants a quick photo of the finished job.",
    "Quiet visits: works from home.",
    "",
)

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

SHOWCASE = (
    # name, company, tags, access notes, soft needs: the first customers, for a memorable demo.
    ("José Núñez", "", ("weekly", "VIP", "pets"), "Side gate, code 1973. Two friendly dogs (Bella and Max): close the gate behind you.", "Text 30 minutes before arriving."),
    ("Zoë Brontë", "", ("garden", "seasonal"), "Key in the lockbox by the back door, code 0612.", "Wants a quick photo of the finished job."),
    ("Priya Patel", "Cherry Creek Dental", ("commercial", "weekly", "key holder"), "Loading dock on the alley side; reception signs us in.", "Quiet visits before 8 am: patients arrive at 8."),
)


def valid_phone_numbers(taken: set):
    """Endless fictional numbers that phonenumbers accepts for the US, the 555-01xx block first, skipping
    the digits in `taken`; once every number is used they repeat (a shared phone is allowed)."""
    while True:
        fresh = False
        for line in LINE_NUMBERS:
            for area in AREA_CODES:
                number = f"+1{area}555{line:04d}"
                if number[1:] in taken or not phonenumbers.is_valid_number(phonenumbers.parse(number)):
                    continue
                fresh = True
                yield number
        if not fresh:
            taken = set()


def email_for(name: str, used: set) -> str:
    local = ".".join(part for part in fold(name).replace("'", "").split()) or "customer"
    candidate, n = local, 1
    while candidate in used:
        n += 1
        candidate = f"{local}{n}"
    used.add(candidate)
    return f"{candidate}@{EMAIL_DOMAINS[len(used) % len(EMAIL_DOMAINS)]}"


class Command(BaseCommand):
    help = "Loads realistic demo data: an owner, a field worker, customers with interactions and follow-ups."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=60, help="How many customers to create (default 60).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when there are customers already.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (same seed, same data).")
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per insert and transaction.")

    def handle(self, *args, **options):
        count = options["customers"]
        if count < 0:
            raise CommandError("--customers must be zero or more.")
        if options["if_empty"] and Customer.objects.exists():
            self.stdout.write("Customers exist already: no demo data loaded.")
            return

        self.rng = random.Random(options["seed"])
        self.today = timezone.localdate()
        self.now = timezone.now()
        owner, worker = self.users()
        self.users_by_weight = (owner, owner, worker)
        tags = self.tags()
        self.phones = valid_phone_numbers(set(Customer.objects.values_list("phone_digits", flat=True)))
        self.created_pks = []
        self.followup_count = 0
        self.used_emails = set(
            email.split("@")[0] for email in Customer.objects.exclude(email="").values_list("email", flat=True)
        )

        batch_size = max(1, options["batch_size"])
        created = 0
        progress = tqdm(total=count, unit="customer", file=sys.stderr, disable=options["verbosity"] == 0,
                        desc="Demo customers")
        with progress:
            while created < count:
                size = min(batch_size, count - created)
                self.create_batch(start=created, size=size, owner=owner, worker=worker, tags=tags)
                created += size
                progress.update(size)

        if created:
            # Fresh statistics after a bulk load, or the query planner guesses (PostgreSQL took 40 ms instead of
            # 8 ms for Today's follow-ups right after seeding 100,000 customers).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            # Action plans come from their own app, through its services (so they have a history).
            win_back = Customer.objects.filter(
                pk__in=self.created_pks[: batch_size], status__in=[Customer.Status.INACTIVE, Customer.Status.LOST]
            ).order_by("pk")[:1]
            plans = seed_plans(owner, worker, list(win_back), [tags["VIP"]], today=self.today)
            # Feedback too: a few months of answers from the first active customers.
            active = Customer.objects.filter(pk__in=self.created_pks[:batch_size], status=Customer.Status.ACTIVE)
            feedback = seed_feedback(owner, worker, list(active.order_by("pk")[:8]))
        else:
            plans, feedback = [], []

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {created} customers, "
                f"{Interaction.objects.count()} interactions, {FollowUp.objects.count()} follow-ups in total; "
                f"{len(plans)} action plans and {len(feedback)} pieces of feedback added."
            )
        )

    # Users and tags

    def users(self):
        User = get_user_model()
        owner = existing_owner()
        if owner is None:
            owner, password = owner_create(username=DEFAULT_USERNAME)
            self.print_credentials("Owner account created", owner.username, password)

        username = FIELD_WORKER_USERNAME if owner.username != FIELD_WORKER_USERNAME else f"{FIELD_WORKER_USERNAME}2"
        worker = User.objects.filter(username=username).first()
        if worker is None:
            password = secrets.token_urlsafe(12)
            worker = User(
                username=username, first_name="Sam", last_name="Rivera", email="sam@example.com",
                time_zone=settings.TIME_ZONE,
            )
            worker.set_password(password)
            worker.save()
            self.print_credentials("Field worker account created", worker.username, password)
        worker.groups.add(Group.objects.get_or_create(name=FIELD_WORKER_GROUP)[0])
        return owner, worker

    def print_credentials(self, title, username, password):
        rule = "=" * 64
        self.stdout.write(
            self.style.SUCCESS(
                f"\n{rule}\n  {title}\n    Log in at: {login_url()}\n    Username:  {username}\n"
                f"    Password:  {password}\n  Shown only this once.\n{rule}\n"
            )
        )

    def tags(self):
        tags = {}
        for name in TAGS:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            tags[name] = tag
        return tags

    # Customers, interactions, follow-ups

    @transaction.atomic
    def create_batch(self, *, start, size, owner, worker, tags):
        rng = self.rng
        customers, tag_names = [], []
        for index in range(start, start + size):
            customer, names = self.make_customer(index, owner=owner, worker=worker)
            customer.refresh_derived_fields()
            customers.append(customer)
            tag_names.append(names)
        Customer.objects.bulk_create(customers)

        # Referrals point at customers created before (this batch's pks are known now).
        referred = []
        for customer in customers:
            if customer.source == Customer.Source.REFERRAL:
                if self.created_pks:
                    customer.referred_by_id = rng.choice(self.created_pks)
                else:
                    customer.source = Customer.Source.WORD_OF_MOUTH
                referred.append(customer)
            self.created_pks.append(customer.pk)
        Customer.objects.bulk_update(referred, ["source", "referred_by"])

        Through = Customer.tags.through
        Through.objects.bulk_create(
            [
                Through(customer_id=customer.pk, tag_id=tags[name].pk)
                for customer, names in zip(customers, tag_names, strict=True)
                for name in names
            ]
        )

        interactions = []
        for customer in customers:
            interactions.extend(self.make_interactions(customer))
        Interaction.objects.bulk_create(interactions)

        followups = []
        for interaction in interactions:
            if interaction.needs_followup:
                followups.append(self.make_followup(interaction))
        FollowUp.objects.bulk_create(followups)

    def make_customer(self, index, *, owner, worker):
        rng = self.rng
        if index < len(SHOWCASE):
            name, company, tag_names, access_notes, soft_needs = SHOWCASE[index]
        else:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            company = ""
            if rng.random() < 0.15:
                company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
            tag_names = set(rng.sample(TAGS, rng.choice((0, 1, 1, 2, 2, 3))))
            if company:
                tag_names.add("commercial")
            tag_names = tuple(sorted(tag_names))
            access_notes = rng.choice(ACCESS_NOTES)
            soft_needs = rng.choice(SOFT_NEEDS)
        town, zip_prefix = rng.choice(TOWNS)
        status = rng.choices(
            (Customer.Status.ACTIVE, Customer.Status.LEAD, Customer.Status.INACTIVE, Customer.Status.LOST),
            weights=(70, 12, 12, 6),
        )[0]
        source = rng.choices(
            [choice for choice in Customer.Source.values if choice],
            weights=(25, 20, 15, 10, 8, 6, 10, 6),
        )[0]
        if index < len(SHOWCASE):
            status = Customer.Status.ACTIVE
            source = Customer.Source.WORD_OF_MOUTH
        customer = Customer(
            kind=Customer.Kind.BUSINESS if company else Customer.Kind.HOUSEHOLD,
            name=name,
            company=company,
            status=status,
            phone=next(self.phones),
            alt_phone=next(self.phones) if rng.random() < 0.1 else "",
            email=email_for(name, self.used_emails) if rng.random() < 0.85 else "",
            preferred_contact=rng.choice(Customer.ContactMethod.values),
            do_not_contact=rng.random() < 0.02,
            street=f"{rng.randint(10, 9899)} {rng.choice(STREETS)}",
            town=town,
            postcode=f"{zip_prefix}{rng.randint(1, 99):02d}",
            access_notes=access_notes,
            key_points=rng.choice(KEY_POINTS),
            personality=rng.choice(PERSONALITIES),
            wants=rng.choice(WANTS),
            needs=rng.choice(NEEDS),
            hard_needs=rng.choice(HARD_NEEDS),
            soft_needs=soft_needs,
            source=source,
            assigned_to=worker if rng.random() < 0.4 else owner,
        )
        customer.is_showcase = index < len(SHOWCASE)
        return customer, tag_names

    def make_interactions(self, customer):
        rng = self.rng
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
            occurred_at = self.now - datetime.timedelta(days=days_ago, minutes=rng.randint(0, 600))
            channel = rng.choices(Interaction.Channel.values, weights=(45, 35, 12, 8))[0]
            attitude = rng.choices((1, 2, 3, 4, 5), weights=(3, 7, 25, 40, 25))[0]
            charged = Decimal(rng.randint(45, 380)) if channel == Interaction.Channel.VISIT else Decimal(0)
            refunded = Decimal(rng.choice((20, 35, 50))) if charged and attitude <= 2 and rng.random() < 0.5 else Decimal(0)
            interaction = Interaction(
                customer_id=customer.pk,
                user=rng.choice(self.users_by_weight),
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
            # The newest interaction of a showcase customer always asks for a follow-up.
            interaction.needs_followup = (n == 0 and customer.is_showcase) or rng.random() < 0.3
            result.append(interaction)
        return result

    def make_followup(self, interaction):
        rng = self.rng
        # The first six cover every Today section for both users; the rest are random.
        slot = self.followup_count
        self.followup_count += 1
        if slot < 6:
            assignee = self.users_by_weight[0] if slot % 2 == 0 else self.users_by_weight[2]
            due = self.today + datetime.timedelta(days=(-3, 0, 3)[slot // 2])
            done = False
        else:
            assignee = rng.choice(self.users_by_weight)
            interaction_day = timezone.localdate(interaction.occurred_at)
            due = interaction_day + datetime.timedelta(days=rng.randint(1, 14))
            # Most old follow-ups are done; a few slipped through and are overdue.
            done = due < self.today and rng.random() < 0.85
        done_at = None
        if done:
            done_at = timezone.make_aware(datetime.datetime.combine(due, datetime.time(rng.randint(8, 17))))
        return FollowUp(
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
