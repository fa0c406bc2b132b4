"""Demo customers of a home-service business in the Denver area, with tags and referrals.

Rows go in with bulk_create, so Customer.save() is bypassed and the derived look-up fields are filled with
Customer.refresh_derived_fields() first.

Reads run.shared["owner"], ["worker"] (accounts/demo.py). Sets run.shared["tags"] ({name: Tag}),
run.shared["customer_pks"] (this run's customers, in order), run.shared["first_batch_pks"] (read through
first_batch_customers()) and batch.rows["customers"] (each with ``is_showcase``).
"""

import datetime

import phonenumbers

from core.management.demo import HISTORY_REASON, DemoStep, demo_steps
from core.text import fold

from .models import Customer
from .services import tag_get_or_create

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



def first_batch_customers(run, *, statuses, limit: int) -> list[Customer]:
    """Up to `limit` of the run's first customers with one of `statuses`, oldest first, for a later step to show
    off. Only the first batch: few enough for an IN list, whatever the number of customers."""
    customers = Customer.objects.filter(pk__in=run.shared["first_batch_pks"], status__in=statuses)
    return list(customers.order_by("pk")[:limit])


@demo_steps.register
class CustomersDemo(DemoStep):
    order = 20

    def loaded_already(self):
        return "Customers exist already" if Customer.objects.exists() else ""

    def prepare(self):
        self.tags = {name: tag_get_or_create(name=name) for name in TAGS}
        self.phones = valid_phone_numbers(set(Customer.objects.values_list("phone_digits", flat=True)))
        self.used_emails = set(
            email.split("@")[0] for email in Customer.objects.exclude(email="").values_list("email", flat=True)
        )
        self.created_pks = []
        self.run.shared.update(tags=self.tags, customer_pks=self.created_pks, first_batch_pks=[])

    def batch(self, batch):
        rng = self.run.rng
        customers, tag_names = [], []
        for index in range(batch.start, batch.start + batch.size):
            customer, names = self.make_customer(index)
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
        # After the referrals, so that each "+" record holds the customer as the card shows them.
        Customer.history.bulk_history_create(customers, default_date=self.run.now, default_change_reason=HISTORY_REASON)
        self.record_losses(customers)

        Through = Customer.tags.through
        Through.objects.bulk_create(
            [
                Through(customer_id=customer.pk, tag_id=self.tags[name].pk)
                for customer, names in zip(customers, tag_names, strict=True)
                for name in names
            ]
        )
        if batch.start == 0:
            self.run.shared["first_batch_pks"] = [customer.pk for customer in customers]
        batch.rows["customers"] = customers

    def summary_total(self):
        return f"{len(self.created_pks)} customers"

    def record_losses(self, customers):
        """A lost customer was active once: their history says when they were lost, within the last year, so the
        Insights page has customers lost in its period. Their "+" record is dated back to before that."""
        rng = self.run.rng
        lost = [customer for customer in customers if customer.status == Customer.Status.LOST]
        if not lost:
            return
        History = Customer.history.model
        losses = {customer.pk: self.run.now - datetime.timedelta(days=rng.randint(1, 365)) for customer in lost}
        records = list(History.objects.filter(id__in=losses, history_type="+"))
        for record in records:
            record.history_date = losses[record.id] - datetime.timedelta(days=rng.randint(30, 700))
            record.status = Customer.Status.ACTIVE
        History.objects.bulk_update(records, ["history_date", "status"])
        for customer in lost:
            customer._history_date = losses[customer.pk]
        Customer.history.bulk_history_create(lost, update=True, default_change_reason=HISTORY_REASON)

    def make_customer(self, index):
        rng = self.run.rng
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
            assigned_to=self.run.shared["worker"] if rng.random() < 0.4 else self.run.shared["owner"],
        )
        customer.is_showcase = index < len(SHOWCASE)
        # What the customer is worth: a Pareto spread gives the 80/20 of revenue the articles describe.
        customer.value = min(rng.paretovariate(0.8), 80.0)
        today = self.run.now.date()
        # Most have been customers for years; about one in twelve joined in the last three months.
        new = rng.random() < 0.08 and not customer.is_showcase
        customer.customer_since = today - datetime.timedelta(days=rng.randint(0, 89) if new else rng.randint(90, 1825))
        customer.contact_every_days = rng.choice((14, 30, 60)) if rng.random() < 0.2 else None
        customer.happy_to_be_reference = status == Customer.Status.ACTIVE and rng.random() < 0.1
        customer.happy_to_try_new = status == Customer.Status.ACTIVE and rng.random() < 0.15
        return customer, tag_names

