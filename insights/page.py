"""The ten blocks of the Insights page, each answering one question of the articles, from the selectors' figures.

Every table is built once, as text, and used twice: in the page and in its CSV download, so the two always agree.
Blocks marked `money` (and the money rows of the others) are built for the owner only.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.business import business_settings
from interactions.models import Interaction

from . import charts, selectors
from .forms import Period

DASH = "—"


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    number: bool = False


@dataclass
class Table:
    slug: str
    caption: str
    headers: list[str]
    rows: list[list[Cell]]
    money: bool = False
    empty: str = ""

    @property
    def number_columns(self) -> list[bool]:
        return [bool(self.rows) and all(row[i].number for row in self.rows) for i in range(len(self.headers))]


@dataclass
class Block:
    key: str  # its template: insights/_<key>.html
    title: str  # the question, in the articles' words
    money: bool = False
    answer: str = ""
    tables: list[Table] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------------
# Formatting: the same text in the page and the CSV.

def money(value) -> Cell:
    return Cell(f"{Decimal(value or 0):,.2f}", number=True)


def share(value: float | None) -> Cell:
    return Cell(DASH if value is None else f"{round(value * 100)} %", number=value is not None)


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def count(value: int | None) -> Cell:
    return Cell(str(value or 0), number=True)


def minutes(seconds: float | None) -> Cell:
    return Cell(DASH if seconds is None else f"{seconds / 60:.1f}", number=seconds is not None)


def hours(seconds: float | None) -> Cell:
    return Cell(f"{(seconds or 0) / 3600:.1f}", number=True)


def customer_cell(customer) -> Cell:
    return Cell(str(customer), customer.get_absolute_url()) if customer else Cell(_("(no longer in the book)"))


def attitude_cell(value: int | None) -> Cell:
    return Cell(Interaction.Attitude(value).label if value else DASH)


def member_name(user: User | None) -> str:
    if user is None:
        return _("Someone who has left")
    return user.get_full_name() or user.username


def percent_text(value: float | None) -> str:
    return DASH if value is None else f"{round(value * 100)} %"


# ---------------------------------------------------------------------------------------------------------------
# What every block reads: asked once per request.

class Insights:
    def __init__(self, *, period: Period, member: User | None, tz, owner: bool, now: datetime.datetime | None = None):
        self.period, self.member, self.tz, self.owner = period, member, tz, owner
        self.now = now or timezone.now()

    @cached_property
    def settings(self):
        return business_settings()

    @cached_property
    def by_member(self) -> list[dict]:
        return selectors.by_member(self.period, self.member)

    @cached_property
    def by_channel(self) -> list[dict]:
        return selectors.by_channel(self.period, self.member)

    @cached_property
    def by_month(self) -> list[dict]:
        return selectors.by_month(self.period, self.member, self.tz)

    @cached_property
    def users(self) -> dict[int, User]:
        """The team (active members, or the chosen one) and anyone else whose work the period holds."""
        logged = {row["user_id"] for row in self.by_member if row["user_id"]}
        return selectors.users_named(logged | {user.pk for user in self.team})

    @cached_property
    def team(self) -> list[User]:
        return selectors.team_members(self.member)

    def member_rows(self) -> list[tuple[User | None, dict]]:
        """(user, figures) for every team member, the chosen one only when filtered, those with no work too."""
        rows = {row["user_id"]: row for row in self.by_member}
        shown = [user.pk for user in self.team] + [uid for uid in rows if uid not in {u.pk for u in self.team}]
        empty = {"interactions": 0, "timed": 0, "average_seconds": None, "resolved": 0, "asked_sale": 0,
                 "asked_referral": 0}
        return [(self.users.get(uid) if uid else None, rows.get(uid, empty)) for uid in shown]

    # -----------------------------------------------------------------------------------------------------------

    def revenue(self) -> Block:
        pareto = selectors.revenue_pareto(self.period, self.member)
        names = selectors.customer_names(row["customer_id"] for row in pareto.top)
        block = Block("revenue", _("Which customers bring most of your revenue? (80/20)"), money=True)
        if pareto.customers:
            block.answer = _("%(n)d customers (%(share)s) bring 80 %% of your revenue.") % {
                "n": pareto.needed, "share": percent_text(pareto.needed_share)}
            block.extra = {"curve": charts.pareto_curve(pareto.curve, pareto.needed_share),
                           "total": money(pareto.total).text, "customers": pareto.customers}
        block.tables.append(Table(
            "revenue", _("Top customers by revenue (charged minus refunded)"),
            [_("Customer"), _("Revenue"), _("Share"), _("Visits"), _("Hours")],
            [[customer_cell(names.get(row["customer_id"])), money(row["revenue"]),
              share(float(row["revenue"] / pareto.total)), count(row["visits"]), hours(row["seconds"])]
             for row in pareto.top],
            money=True, empty=_("No revenue in this period."),
        ))
        return block

    def business(self) -> Block:
        figures = selectors.business(self.period, self.member, default_cadence_days=self.settings.default_cadence_days,
                                     with_money=self.owner)
        block = Block("business", _("How much of your business comes from existing customers?"))
        since = self.period.first_day
        rows = []
        if self.owner:
            new_revenue = figures.revenue - figures.existing_revenue
            rows += [
                [Cell(_("Revenue from customers you had before %(day)s") % {"day": since}),
                 money(figures.existing_revenue)],
                [Cell(_("Revenue from newer customers")), money(new_revenue)],
                [Cell(_("Share from existing customers")), share(figures.existing_share)],
            ]
            if figures.existing_share is not None:
                block.answer = _("%(share)s of your revenue came from customers you already had "
                                 "(the articles: about 80 %% should).") % {"share": percent_text(figures.existing_share)}
                block.extra["split"] = charts.bars([
                    (_("Existing"), float(max(figures.existing_revenue, 0)), money(figures.existing_revenue).text),
                    (_("New"), float(max(new_revenue, 0)), money(new_revenue).text),
                ])
        rows += [
            [Cell(_("Customers served")), count(figures.customers_served)],
            [Cell(_("Came back (2 or more interactions)")), count(figures.repeat_customers)],
            [Cell(_("Repeat rate")), share(figures.repeat_rate)],
            [Cell(_("Customers gained")), count(figures.gained)],
            [Cell(_("Customers at the start")), count(figures.at_start)],
            [Cell(_("Lost: marked lost")), count(figures.lost_by_status)],
            [Cell(_("Lost: no contact for twice their cadence")), count(figures.lost_by_silence)],
            [Cell(_("Attrition rate (lost ÷ customers at the start)")), share(figures.attrition)],
        ]
        if not block.answer:
            block.answer = _("Repeat rate %(repeat)s; %(gained)d gained, %(lost)d lost.") % {
                "repeat": percent_text(figures.repeat_rate), "gained": figures.gained, "lost": figures.lost}
        block.tables.append(Table("business", _("Existing and new business"), [_("Figure"), _("Value")], rows))
        block.extra["lost"] = figures.lost_names
        block.extra["lost_count"] = figures.lost
        return block

    def costs(self) -> Block:
        cost = self.settings.hourly_cost
        block = Block("costs", _("How much time and money does each customer cost you?"), money=True)
        block.answer = _("Cost counts each hour at %(cost)s (Business settings).") % {"cost": money(cost).text}
        by_time = selectors.customers_by_time(self.period, self.member, hourly_cost=cost)
        least = selectors.least_profitable(self.period, self.member, hourly_cost=cost)
        names = selectors.customer_names([row["customer_id"] for row in by_time + least])
        headers = [_("Customer"), _("Interactions"), _("Hours"), _("Revenue"), _("Revenue per hour"), _("Cost"),
                   _("Revenue − cost")]

        def row_of(row):
            seconds = row["seconds"] or 0
            per_hour = row["revenue"] * 3600 / seconds if seconds else None
            return [customer_cell(names.get(row["customer_id"])), count(row["interactions"]), hours(seconds),
                    money(row["revenue"]), money(per_hour) if per_hour is not None else Cell(DASH),
                    money(cost * seconds / 3600), money(row["margin"])]

        block.tables += [
            Table("customer-time", _("The customers who take most of your time"), headers,
                  [row_of(row) for row in by_time], money=True, empty=_("No interactions in this period.")),
            Table("least-profitable", _("Least profitable customers (at least 3 interactions)"), headers,
                  [row_of(row) for row in least], money=True,
                  empty=_("No customer had 3 interactions or more in this period.")),
        ]
        return block

    def durations(self) -> Block:
        block = Block("durations", _("How long do you spend on a call or a visit?"))
        channels = self.by_channel
        setup = selectors.setup_vs_existing(self.period, self.member)
        labels = dict(Interaction.Channel.choices)
        block.extra["bars"] = charts.bars([
            (str(labels[row["channel"]]), row["average_seconds"], minutes(row["average_seconds"]).text + " min")
            for row in channels if row["timed"]])
        new, existing = setup.get(False), setup.get(True)
        if new and new["average_seconds"] is not None:
            block.answer = _("Setting up a new customer takes %(new)s minutes an interaction; an existing one "
                             "%(old)s.") % {"new": minutes(new["average_seconds"]).text,
                                            "old": minutes(existing["average_seconds"]).text if existing else DASH}
        headers = [_("Interactions timed"), _("Average minutes")]
        block.tables += [
            Table("duration-channel", _("By channel"), [_("Channel"), *headers],
                  [[Cell(str(labels[row["channel"]])), count(row["timed"]), minutes(row["average_seconds"])]
                   for row in channels], empty=_("No interactions in this period.")),
            Table("duration-setup", _("Setting up a new customer (their first 3 interactions) and existing ones"),
                  [_("Customers"), *headers],
                  [[Cell(label), count(row["interactions"] if row else 0),
                    minutes(row["average_seconds"] if row else None)]
                   for label, row in ((_("New: first 3 interactions"), new), (_("Existing"), existing))]),
            Table("duration-member", _("By team member"), [_("Team member"), *headers],
                  [[Cell(member_name(user)), count(row["timed"]), minutes(row["average_seconds"])]
                   for user, row in self.member_rows()]),
            Table("duration-month", _("By month"), [_("Month"), *headers],
                  [[Cell(timezone.localtime(row["month"], self.tz).strftime("%Y-%m")), count(row["timed"]),
                    minutes(row["average_seconds"])] for row in self.by_month], empty=_("No interactions in this period.")),
        ]
        return block

    def peaks(self) -> Block:
        found = selectors.peak_times(self.period, self.member, self.tz)
        block = Block("peaks", _("When are the peak and low times of calls? Of visits?"))
        headers = [_("Day"), *[f"{hour:02d}" for hour in range(24)]]
        answers = []
        for channel, slug, name in ((selectors.CALL, "peaks-calls", _("Calls")),
                                    (selectors.VISIT, "peaks-visits", _("Visits"))):
            counts = found[channel]
            grid = charts.heat_map(counts)
            block.extra.setdefault("maps", []).append({"slug": slug, "name": name, "grid": grid})
            if counts:
                (weekday, hour), most = max(counts.items(), key=lambda item: (item[1], -item[0][0], -item[0][1]))
                answers.append(_("%(what)s peak on %(day)s %(hour)02d:00–%(next)02d:00 (%(n)d).") % {
                    "what": name, "day": charts.WEEKDAYS[weekday - 1], "hour": hour, "next": (hour + 1) % 24,
                    "n": most})
            block.tables.append(Table(
                slug, _("%(what)s by weekday and hour (your time zone)") % {"what": name}, headers,
                [[Cell(row["label"]), *[count(cell["count"]) for cell in row["cells"]]] for row in grid["rows"]],
            ))
        block.answer = " ".join(answers) or _("No calls or visits in this period.")
        return block

    def first_contact(self) -> Block:
        block = Block("first_contact", _("How often are problems resolved with one call or one visit?"))
        labels = dict(Interaction.Channel.choices)
        total = sum(row["interactions"] for row in self.by_channel)
        resolved = sum(row["resolved"] for row in self.by_channel)
        if total:
            block.answer = _("%(share)s of interactions were resolved on first contact.") % {
                "share": percent_text(ratio(resolved, total))}
        block.extra["bars"] = charts.bars([
            (timezone.localtime(row["month"], self.tz).strftime("%b %Y"), ratio(row["resolved"], row["interactions"]),
             percent_text(ratio(row["resolved"], row["interactions"]))) for row in self.by_month])
        headers = [_("Interactions"), _("Resolved first time"), _("Share")]

        def figures(row):
            return [count(row["interactions"]), count(row["resolved"]), share(ratio(row["resolved"], row["interactions"]))]

        block.tables += [
            Table("fcr-channel", _("By channel"), [_("Channel"), *headers],
                  [[Cell(str(labels[row["channel"]])), *figures(row)] for row in self.by_channel],
                  empty=_("No interactions in this period.")),
            Table("fcr-member", _("By team member"), [_("Team member"), *headers],
                  [[Cell(member_name(user)), *figures(row)] for user, row in self.member_rows()]),
            Table("fcr-month", _("By month"), [_("Month"), *headers],
                  [[Cell(timezone.localtime(row["month"], self.tz).strftime("%Y-%m")), *figures(row)]
                   for row in self.by_month], empty=_("No interactions in this period.")),
        ]
        return block

    def asking(self) -> Block:
        block = Block("asking", _("Did you ask for a sale or a referral?"))
        total = sum(row["interactions"] for row in self.by_member)
        sale = sum(row["asked_sale"] for row in self.by_member)
        referral = sum(row["asked_referral"] for row in self.by_member)
        received = selectors.referrals_received(self.period, self.member)
        block.answer = _("A sale was asked for in %(sale)s of interactions, a referral in %(referral)s; "
                         "%(received)d new customers came referred by another.") % {
            "sale": percent_text(ratio(sale, total)), "referral": percent_text(ratio(referral, total)),
            "received": received}
        block.extra["bars"] = charts.bars([
            (_("Asked for a sale"), ratio(sale, total), percent_text(ratio(sale, total))),
            (_("Asked for a referral"), ratio(referral, total), percent_text(ratio(referral, total))),
        ])
        block.tables.append(Table(
            "asking", _("Asking, by team member"),
            [_("Team member"), _("Interactions"), _("Asked for a sale"), _("Asked for a referral")],
            [[Cell(member_name(user)), count(row["interactions"]), share(ratio(row["asked_sale"], row["interactions"])),
              share(ratio(row["asked_referral"], row["interactions"]))] for user, row in self.member_rows()],
        ))
        return block

    def advocates(self) -> Block:
        block = Block("advocates", _("Who are your strongest advocates?"))
        rows = selectors.advocates(self.member)
        references, reference_count = selectors.marked_customers(self.member, "happy_to_be_reference")
        testers, tester_count = selectors.marked_customers(self.member, "happy_to_try_new")
        block.answer = _("%(refs)d customers are happy to be a reference, %(testers)d to try new services.") % {
            "refs": reference_count, "testers": tester_count}
        block.tables += [
            Table("advocates", _("Ranked by customers they referred, then their ratings and likes"),
                  [_("Customer"), _("Customers referred"), _("Average rating"), _("Likes"), _("Last attitude")],
                  [[customer_cell(c), count(c.referred),
                    Cell(f"{c.average_rating:.1f}" if c.average_rating is not None else DASH,
                         number=c.average_rating is not None),
                    count(c.likes), attitude_cell(c.last_attitude)] for c in rows],
                  empty=_("Nobody has referred a customer or told us what they like yet.")),
            Table("references", _("Happy to be a reference (%(n)d)") % {"n": reference_count}, [_("Customer")],
                  [[customer_cell(c)] for c in references], empty=_("Nobody is marked yet: tick it on their card.")),
            Table("testers", _("Happy to try new services (%(n)d)") % {"n": tester_count}, [_("Customer")],
                  [[customer_cell(c)] for c in testers], empty=_("Nobody is marked yet: tick it on their card.")),
        ]
        return block

    def potential(self) -> Block:
        block = Block("potential", _("Which customers have the most sales potential?"))
        rows, found = selectors.sales_potential(self.member, now=self.now)
        block.answer = _("%(n)d customers match.") % {"n": found}
        headers = [_("Customer"), _("Idea for offering more"), _("Last attitude")]
        if self.owner:
            headers += [_("Revenue, last 180 days"), _("The 180 days before")]
        table_rows = []
        for c in rows:
            row = [customer_cell(c), Cell(c.idea), attitude_cell(c.last_attitude)]
            if self.owner:
                row += [money(c.recent_revenue), money(c.earlier_revenue)]
            table_rows.append(row)
        block.tables.append(Table("potential", _("The ones whose revenue grew most"), headers, table_rows,
                                  empty=_("No customer matches the rule today.")))
        return block

    def team_block(self) -> Block:
        block = Block("team", _("How is each person on the team doing?"))
        followups = selectors.followups_done(self.period, self.member)
        feedback = selectors.feedback_by_member(self.period, self.member)
        rows = []
        for user, row in self.member_rows():
            done = followups.get(user.pk if user else None, {})
            heard = feedback.get(user.pk if user else None, {})
            average = heard.get("average_rating")
            rows.append([
                Cell(member_name(user)), count(row["interactions"]), count(done.get("on_time")),
                count(done.get("late")), minutes(row["average_seconds"]),
                share(ratio(row["resolved"], row["interactions"])),
                Cell(f"{average:.1f} ({heard['answers']})" if average is not None else DASH),
            ])
        block.tables.append(Table(
            "team", _("Per team member"),
            [_("Team member"), _("Interactions logged"), _("Follow-ups on time"), _("Follow-ups late"),
             _("Average minutes"), _("Resolved first time"), _("Feedback from their customers")],
            rows,
        ))
        return block

    BUILDERS = {
        "revenue": revenue, "business": business, "costs": costs, "durations": durations, "peaks": peaks,
        "first_contact": first_contact, "asking": asking, "advocates": advocates, "potential": potential,
        "team": team_block,
    }
    MONEY_BLOCKS = {"revenue", "costs"}

    def blocks(self) -> list[Block]:
        return [builder(self) for key, builder in self.BUILDERS.items()
                if self.owner or key not in self.MONEY_BLOCKS]

    def table(self, slug: str) -> Table | None:
        block_key = TABLES.get(slug)
        if block_key is None:
            return None
        block = self.BUILDERS[block_key](self)
        return next(table for table in block.tables if table.slug == slug)


# Which block builds each table (for its CSV), and which tables are money (403 for anyone but the owner).
TABLES = {
    "revenue": "revenue", "business": "business", "customer-time": "costs", "least-profitable": "costs",
    "duration-channel": "durations", "duration-setup": "durations", "duration-member": "durations",
    "duration-month": "durations", "peaks-calls": "peaks", "peaks-visits": "peaks", "fcr-channel": "first_contact",
    "fcr-member": "first_contact", "fcr-month": "first_contact", "asking": "asking", "advocates": "advocates",
    "references": "advocates", "testers": "advocates", "potential": "potential", "team": "team",
}
MONEY_TABLES = {slug for slug, block in TABLES.items() if block in Insights.MONEY_BLOCKS}
