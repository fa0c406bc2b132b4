"""Every form and JSON endpoint, fed mutated input: never a server error, never slow, never a change when refused.

Seeded (random.Random(SEED)) and bounded, so a failure is reproduced by running the test again. Each request runs
in a savepoint that is rolled back, so every one starts from the same data and a deleted customer does not turn
the rest of the run into 404s. The targets come from the URL resolver: a pattern that is neither fuzzed (TARGETS)
nor listed with a reason (SKIPPED) fails test_every_url_pattern_is_fuzzed_or_skipped_with_a_reason.

On PostgreSQL (DATABASE_URL) too: a NUL byte reaches PostgreSQL only through a path that skipped the form checks.
"""

import copy
import datetime
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BaseForm, BooleanField
from django.test import Client
from django.test.utils import ContextList
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import FIELD_WORKER_GROUP
from actionplans.models import ActionPlan
from core.business import business_settings
from feedback.models import FeedbackItem
from feedback.tokens import token_for
from imports.services import batch_create
from interactions.models import Interaction
from tests.actionplans.factories import ActionPlanFactory, ActionStepFactory
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, TagFactory, UserFactory
from tests.feedback.factories import FeedbackFactory, FeedbackRequestFactory
from trash.services import customer_delete

SEED = 1234
MUTATIONS_PER_TARGET = 18
PERSONAS = ("owner", "field worker", "signed out")
SLOW_SECONDS = 2.0
NOW = "2026-11-20 10:00 +00:00"
TODAY = datetime.date(2026, 11, 20)

PROJECT_APPS = {"accounts", "customers", "followups", "interactions", "mail", "reminders", "feedback", "actionplans",
                "offline", "team", "health", "core", "today", "trash", "merge", "imports", "exports",
                "backup"}


# ---------------------------------------------------------------------------------------------------------------
# What is fuzzed, and what is not.

@dataclass(frozen=True)
class Target:
    """One URL pattern: how to fill its path, the query parameters it reads, the fields it takes."""

    path_kwargs: str = ""                 # "customer" → {"pk": <customer id>}; see _path_kwargs
    query: tuple = ()                     # GET parameters the view reads
    post: tuple | None = None             # POST fields (a form in the page's context adds its own); None: GET only
    baseline: dict = field(default_factory=dict)  # valid values, so that one mutated field reaches deep
    json: bool = False
    public: bool = False                  # fuzzed signed out too
    files: tuple = ()                     # file fields: each POST uploads a nasty file in them (nasty_file)


CUSTOMER_FIELDS = ("name", "kind", "status", "company", "assigned_to", "phone", "alt_phone", "email",
                   "preferred_contact", "do_not_contact", "street", "town", "postcode", "access_notes", "wants",
                   "needs", "hard_needs", "soft_needs", "key_points", "personality", "source", "referred_by", "tags",
                   "contact_every_days", "customer_since", "happy_to_be_reference", "happy_to_try_new",
                   "confirm_duplicate")
INTERACTION_FIELDS = ("channel", "direction", "occurred_at", "duration_seconds", "asked_for", "attitude",
                      "attitude_note", "we_said_did", "could_do_better", "asked_for_sale", "asked_for_referral",
                      "resolved_first_contact", "more_services_ideas", "amount_charged", "amount_refunded",
                      "followup_description", "followup_due", "followup_assignee")
FEEDBACK_FIELDS = ("like_1", "like_2", "like_3", "improvement_1", "improvement_2", "improvement_3", "rating")
PLAN_FIELDS = ("title", "audience_kind", "customer", "tag", "purpose", "owner", "start_date", "end_date", "status")
STEP_FIELDS = ("what", "due_date", "assignee", "is_creative", "source")

CUSTOMER_BASELINE = {"name": "Fuzz Person", "kind": "household", "status": "active", "preferred_contact": "any"}
INTERACTION_BASELINE = {"channel": "call", "direction": "inbound", "occurred_at": "2026-11-20T09:30",
                        "asked_for": "A quote"}
IMPORT_FIELDS = ("sheet", "date_order", "duplicates", "action")  # and a col_<n> per column, from the page's form
PLAN_BASELINE = {"title": "Fuzz plan", "audience_kind": "all", "start_date": "2026-11-20", "end_date": "2026-12-20",
                 "status": "active"}

EXPORT_QUERY = ("q", "status", "tag", "date_from", "date_to", "member", "state")

TARGETS = {
    "today": Target(),
    "login": Target(query=("next",), post=("username", "password", "keep_signed_in", "next"),
                    baseline={"username": "will", "password": "pw"}, public=True),
    "password_reset": Target(post=("email",), baseline={"email": "will@example.com"}, public=True),
    "password_reset_done": Target(public=True),
    "password_reset_confirm": Target(path_kwargs="reset", post=("new_password1", "new_password2"), public=True),
    "password_reset_complete": Target(public=True),
    "business_settings": Target(post=("business_name", "hourly_cost", "default_cadence_days", "time_zone",
                                       "working_days")),
    "accounts:profile": Target(post=("first_name", "last_name", "email", "time_zone", "reminders_enabled",
                                     "reminder_hour", "digest_enabled", "digest_weekday", "digest_hour")),
    "accounts:sign_out_everywhere": Target(post=()),
    "accounts:password_change": Target(post=("old_password", "new_password1", "new_password2")),
    "accounts:password_done": Target(),
    "customers:quick_search": Target(query=("q",)),
    "customers:list": Target(query=("q", "status", "tag", "after", "before", "page")),
    "customers:create": Target(query=("referred_by",), post=CUSTOMER_FIELDS, baseline=CUSTOMER_BASELINE),
    "customers:check_duplicates": Target(query=("phone", "alt_phone", "email", "exclude")),
    "customers:picker": Target(query=("q", "exclude")),
    "customers:detail": Target(path_kwargs="customer"),
    "customers:edit": Target(path_kwargs="customer", post=CUSTOMER_FIELDS),
    "customers:vcard": Target(path_kwargs="customer"),
    "exports:page": Target(query=EXPORT_QUERY),
    "exports:customers_csv": Target(query=("q", "status", "tag")),
    "exports:customers_xlsx": Target(query=("q", "status", "tag")),
    "exports:interactions_csv": Target(query=EXPORT_QUERY),
    "exports:interactions_xlsx": Target(query=EXPORT_QUERY),
    "exports:followups_csv": Target(query=EXPORT_QUERY),
    "exports:followups_xlsx": Target(query=EXPORT_QUERY),
    "trash:customer_delete": Target(path_kwargs="customer", post=("erase",)),
    "trash:list": Target(query=("page",)),
    "trash:restore": Target(path_kwargs="trashed", post=()),
    "trash:erase": Target(path_kwargs="trashed", post=()),
    "merge:duplicates": Target(),
    "merge:merge": Target(path_kwargs="merge_pair", post=()),
    "backup:page": Target(),
    "backup:download": Target(),
    "backup:customer_data": Target(path_kwargs="customer"),
    "backup:customer_data_zip": Target(path_kwargs="customer"),
    "interactions:create": Target(path_kwargs="customer_pk", query=("channel",), post=INTERACTION_FIELDS,
                                  baseline=INTERACTION_BASELINE),
    "interactions:edit": Target(path_kwargs="interaction", post=INTERACTION_FIELDS),
    "interactions:delete": Target(path_kwargs="interaction", post=()),
    "followups:create": Target(path_kwargs="customer_pk", post=("description", "due_date", "assigned_to"),
                               baseline={"description": "Call back", "due_date": "2026-11-21"}),
    "followups:edit": Target(path_kwargs="followup", post=("description", "due_date", "assigned_to")),
    "followups:done": Target(path_kwargs="followup", query=("next",), post=("outcome", "next")),
    "followups:try_again": Target(path_kwargs="followup", query=("next",), post=("due_date", "note", "next"),
                                  baseline={"due_date": "2026-11-22"}),
    "followups:reopen": Target(path_kwargs="followup", post=("next",)),
    "feedback:list": Target(query=("customer", "q", "date_from", "date_to", "rating", "page")),
    "feedback:create": Target(path_kwargs="customer_pk", post=(*FEEDBACK_FIELDS, "channel", "received_at"),
                              baseline={"like_1": "On time", "channel": "in_person", "received_at": "2026-11-20T09:00"}),
    "feedback:request_create": Target(path_kwargs="customer_pk", post=()),
    "feedback:improvement_followup": Target(path_kwargs="improvement", post=("next",)),
    "feedback:answer": Target(path_kwargs="token", post=FEEDBACK_FIELDS, baseline={"like_1": "Friendly"},
                              public=True),
    "actionplans:list": Target(query=("status",)),
    "actionplans:create": Target(post=PLAN_FIELDS, baseline=PLAN_BASELINE),
    "actionplans:step_from_text": Target(
        query=("text", "source", "customer"),
        post=("plan", "new_plan_title", "what", "due_date", "assignee", "is_creative", "source", "customer"),
        baseline={"what": "Call ahead", "new_plan_title": "From feedback", "due_date": "2026-11-27"},
    ),
    "actionplans:detail": Target(path_kwargs="plan"),
    "actionplans:edit": Target(path_kwargs="plan", post=PLAN_FIELDS),
    "actionplans:delete": Target(path_kwargs="plan", post=()),
    "actionplans:step_create": Target(path_kwargs="plan_pk", post=STEP_FIELDS,
                                      baseline={"what": "Bring a plant", "due_date": "2026-11-25"}),
    "actionplans:step_edit": Target(path_kwargs="step", post=STEP_FIELDS),
    "actionplans:step_delete": Target(path_kwargs="step", post=()),
    "actionplans:step_move": Target(path_kwargs="step", post=("direction",)),
    "actionplans:step_toggle": Target(path_kwargs="step", post=("done", "note")),
    "offline:service_worker": Target(public=True),
    "offline:manifest": Target(public=True),
    "offline:page": Target(public=True),
    "offline:precache": Target(),
    "offline:saved_customer": Target(path_kwargs="customer"),
    "offline:sync_interaction": Target(json=True),
    "insights:page": Target(query=("period", "date_from", "date_to", "member")),
    "insights:csv": Target(path_kwargs="insights_table", query=("period", "date_from", "date_to", "member")),
    "team:list": Target(),
    "team:invite": Target(post=("first_name", "last_name", "email", "group_name"),
                          baseline={"first_name": "Nina", "email": "nina@example.com", "group_name": FIELD_WORKER_GROUP}),
    "team:invite_again": Target(path_kwargs="member", post=()),
    "team:deactivate": Target(path_kwargs="member", post=("successor",)),
    "team:reactivate": Target(path_kwargs="member", post=()),
    "team:lockout_lift": Target(post=("username", "ip_address"), baseline={"username": "will", "ip_address": "10.0.0.1"}),
    "mail:failed": Target(),
    "mail:send_again": Target(path_kwargs="member", post=()),  # reads only its id: any id, mutated or not
    "insights:at_risk": Target(query=("scope", "page")),
    "imports:start": Target(post=(), files=("file",)),
    # The world's import has an ambiguous date column: the baseline says how to read it, so a POST reaches the run
    "imports:detail": Target(path_kwargs="import_batch", post=IMPORT_FIELDS,
                             baseline={"date_order": "dmy", "action": "dry_run"}),
    "imports:progress": Target(path_kwargs="import_batch"),
    "imports:undo": Target(path_kwargs="import_batch", post=()),
    "imports:notes": Target(path_kwargs="import_notes", query=("check",)),
}

SKIPPED = {
    "logout": "ends the session the fuzzer signs in with; it reads no input but its CSRF token "
              "(test_posts_without_a_csrf_token_are_refused_and_change_nothing sends it none)",
    "healthz": "reads no input, and answers 503 by design while the test's broker is down (tests/health)",
}
# Django's admin: owner-only pages built from Django's own forms and views, with their own tests upstream.
SKIPPED_NAMESPACES = {"admin": "Django's admin, for the owner only, with Django's own forms"}


def _url_names(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"


def test_every_url_pattern_is_fuzzed_or_skipped_with_a_reason():
    names = {name for name in _url_names() if name.split(":", 1)[0] not in SKIPPED_NAMESPACES}

    assert sorted(names - TARGETS.keys() - SKIPPED.keys()) == [], "add these to TARGETS, or to SKIPPED with a reason"
    assert sorted((TARGETS.keys() | SKIPPED.keys()) - names) == [], "these URL names no longer exist"
    assert not TARGETS.keys() & SKIPPED.keys()


# ---------------------------------------------------------------------------------------------------------------
# The inputs.

NASTY = [
    "", " ", "\x00", "a\x00b", "\x01\x02\x1b\x7f", "\x85\x9f", "line\r\nbreak", "\ttab", "\u202e\u200b\ufeff",
    "😀" * 300, "x" * 5_000, "y" * 70_000,
    "-1", "0", "1", "9e999997", "-9e999997", "1e308", "-1e308", "NaN", "nan", "inf", "-Infinity", "1" * 5_000,
    "9" * 19, "9" * 20, str(2**63), str(2**63 - 1), str(-(2**63) - 1), "²", "٣", "1.5", "1,5", "0x1F", " 12 ", "+5",
    "1_000", "1e3", "99999.99999", "1:99", "99:59:59", "999:00", "4:30", "-0",
    "2024-02-30", "0000-00-00", "9999-12-31", "10000-01-01", "1-1-1", "2024-13-45T25:61", "yesterday",
    "2026-11-20T10:00:00+99:00", "1970-01-01T00:00", "0001-01-01", "2026-11-20\x00",
    "<script>alert(1)</script>", "' OR 1=1 --", "%00", "../../etc/passwd", "{{ 7*7 }}", "{% debug %}", "${jndi:x}",
    "logout", "/logout/", "foo", "//evil.com", "https://evil.com/", "/\\evil", "javascript:alert(1)", "/customers/1/",
    "/" + "a" * 3_000, "true", "null", "[]", "{}", "on", "off",
]


def nasty_value(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.75:
        return rng.choice(NASTY)
    if pick < 0.85:
        return "".join(chr(rng.randrange(0, 0x250)) for _ in range(rng.randrange(1, 40)))
    if pick < 0.95:
        return "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 6_000)))
    return rng.choice(["\x00", "\x07", "\x1f"]).join(rng.choice(NASTY[:12]) for _ in range(3))


def nasty_json(rng: random.Random, customer_id: int):
    """A visit as a phone might send it, more or less broken, as (body bytes, content type)."""
    visit = {"client_key": str(uuid.UUID(int=rng.getrandbits(128))), "customer": customer_id,
             "data": {**INTERACTION_BASELINE}}
    pick = rng.randrange(13)
    if pick == 0:
        body = "[" * 50_000 + "]" * 50_000
    elif pick == 1:
        body = json.dumps({**visit, "data": {"asked_for": "[" * 30_000}})  # brackets inside a string are text
    elif pick == 2:
        body = '{"data": ' + '{"a": ' * 10_000 + "1" + "}" * 10_000 + "}"
    elif pick == 3:
        body = json.dumps({**visit, "data": {"asked_for": "x" * 100_000}})
    elif pick == 4:
        body = rng.choice(['{"customer": ' + "1" * 5_000 + "}", "{", "", "null", "[]", '"text"', "1e999",
                           '{"customer": Infinity, "client_key": "x"}', '{"customer": NaN}'])
    elif pick == 5:
        return b"\xff\xfe\x00{" + bytes(rng.randrange(256) for _ in range(50)), "application/json"
    elif pick == 6:
        return f"client_key={visit['client_key']}&customer={customer_id}".encode(), rng.choice(
            ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"])
    elif pick == 7:
        visit["customer"] = rng.choice([1e308, -1, 0, True, None, "1" * 30, 2**64, "²", [1], {"a": 1}, "NaN"])
        body = json.dumps(visit)
    elif pick == 8:
        visit["client_key"] = rng.choice([None, 5, "", "not-a-uuid", "\x00", [1], "0" * 5_000])
        body = json.dumps(visit)
    elif pick == 9:
        visit["data"] = rng.choice([None, [], "text", 5, {"channel": [[["deep"]]]}, {"\x00": "x"}])
        body = json.dumps(visit)
    else:
        for name in rng.sample(INTERACTION_FIELDS, rng.randrange(1, 4)):
            visit["data"][name] = rng.choice([nasty_value(rng), [nasty_value(rng), nasty_value(rng)], 1e308, None])
        body = json.dumps(visit)
    return body.encode("utf-8", "surrogatepass"), "application/json"


IMPORT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"
IMPORT_HEADER = "Name,Phone,Email,Customer since,Tags,Status\n"


def nasty_file(rng: random.Random) -> SimpleUploadedFile:
    """An upload: a spreadsheet or contacts file with nasty cells, a real one with bytes changed, or junk."""
    pick = rng.randrange(4)
    if pick == 0:
        separator = rng.choice([",", ",", ";", "\t", '"'])
        rows = [separator.join(nasty_value(rng) for _ in range(rng.randrange(1, 8))) for _ in range(rng.randrange(1, 4))]
        data = (IMPORT_HEADER + "\n".join(rows)).encode()
    elif pick == 1:
        lines = [f"{name}:{nasty_value(rng)}" for name in rng.sample(["FN", "N", "TEL", "EMAIL", "ADR", "NOTE"], 3)]
        data = "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, rng.choice(["END:VCARD", ""])]).encode()
    elif pick == 2:
        data = bytearray((IMPORT_FIXTURES / rng.choice(["customers.xlsx", "google.vcf", "quoted.csv"])).read_bytes())
        for _ in range(rng.randrange(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        data = bytes(data)
    else:
        data = rng.choice([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\xef\xbb\xbf", b"\xff\xfe", b"%PDF"]) + \
            rng.randbytes(rng.randrange(0, 3_000))
    return SimpleUploadedFile(rng.choice(["c.csv", "c.xlsx", "c.vcf", "noextension", "x" * 300, "😀.csv"]), data)


# ---------------------------------------------------------------------------------------------------------------
# The data, the clients, and the checks.

@pytest.fixture
def world(db):
    owner = UserFactory(username="olivia", role="owner")
    worker = UserFactory(username="will", role="field_worker")
    colleague = UserFactory(username="cleo", role="field_worker")
    tag = TagFactory(name="hedges")
    referrer = CustomerFactory(name="Ann Referrer", phone="+12025550100")
    customer = CustomerFactory(name="Mia Lane", phone="+12025550123", assigned_to=worker, referred_by=referrer,
                               tags=[tag])
    interaction = InteractionFactory(customer=customer, user=worker)
    followup = FollowUpFactory(customer=customer, assigned_to=worker, due_date=TODAY)
    plan = ActionPlanFactory(owner=owner, audience_kind=ActionPlan.Audience.CUSTOMER, customer=customer,
                             start_date=TODAY, end_date=TODAY + datetime.timedelta(days=30))
    step = ActionStepFactory(plan=plan, assignee=worker, due_date=TODAY + datetime.timedelta(days=3))
    ActionStepFactory(plan=plan, assignee=colleague, due_date=TODAY + datetime.timedelta(days=4))
    FeedbackFactory(customer=customer, likes=["On time"], improvements=["Call ahead"])
    feedback_request = FeedbackRequestFactory(customer=customer)
    trashed = customer_delete(customer=CustomerFactory(name="Trashed Tom"), deleted_by=owner)
    # Created by the first page that reads it, which would count as a change; a flushed test database lacks it.
    business_settings()
    import_batch = batch_create(filename="c.csv", created_by=owner, data=(
        IMPORT_HEADER + "Ann Lee,(202) 555-0101,ann@example.com,04/03/2024,vip;hedges,active\n"
        "Bob Stone,not a phone,bob@example,05/06/2023,,lead\n").encode())
    return {
        "trashed": trashed, "referrer": referrer, "import_batch": import_batch,
        "owner": owner, "worker": worker, "colleague": colleague, "customer": customer, "interaction": interaction,
        "followup": followup, "plan": plan, "step": step, "token": token_for(feedback_request),
        "improvement": FeedbackItem.objects.get(kind=FeedbackItem.Kind.IMPROVEMENT),
    }


def _path_kwargs(kind: str, world: dict) -> dict:
    objects = {
        "customer": {"pk": world["customer"].pk},
        "customer_pk": {"customer_pk": world["customer"].pk},
        "interaction": {"pk": world["interaction"].pk},
        "followup": {"pk": world["followup"].pk},
        "improvement": {"pk": world["improvement"].pk},
        "token": {"token": world["token"]},
        "plan": {"pk": world["plan"].pk},
        "plan_pk": {"plan_pk": world["plan"].pk},
        "step": {"pk": world["step"].pk},
        "member": {"pk": world["colleague"].pk},
        "trashed": {"pk": world["trashed"].pk},
        "merge_pair": {"keep_pk": world["customer"].pk, "other_pk": world["referrer"].pk},
        "insights_table": {"table": "revenue"},
        "import_batch": {"pk": world["import_batch"].pk},
        "import_notes": {"pk": world["import_batch"].pk, "kind": "rejected"},
        "reset": {"uidb64": urlsafe_base64_encode(force_bytes(world["worker"].pk)),
                  "token": default_token_generator.make_token(world["worker"])},
    }
    return objects[kind] if kind else {}


def _mutated_path_kwargs(kwargs: dict, rng: random.Random) -> dict:
    """Now and then an id or a token of the wrong size: the URL converters and the fetch helpers must cope."""
    if not kwargs or rng.random() > 0.15:
        return kwargs
    name = rng.choice(sorted(kwargs))
    if isinstance(kwargs[name], int):
        wrong = rng.choice(["0", "9" * 19, str(2**63), "9" * 30, "1" * 5_000])
    else:
        wrong = rng.choice(["x", "a" * 3_000, "%00", "set-password", "1-2-3", "😀"])
    return {**kwargs, name: wrong}


def _is_our_page(location: str) -> bool:
    """Whether a redirect leads to one of our own pages, by a local path, and not to the logout page."""
    parts = urlsplit(location)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(("//", "/\\")):
        return False
    try:
        return resolve(parts.path).view_name != "logout"
    except Resolver404:
        return False


def _snapshot_sql() -> str:
    """One query: each table's row count and its latest change (updated_at, else the largest id)."""
    quote = connection.ops.quote_name
    parts = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label not in PROJECT_APPS or meta.proxy or not meta.managed:
            continue
        names = {f.name for f in meta.concrete_fields}
        column = meta.get_field("updated_at").column if "updated_at" in names else meta.pk.column
        parts.append(f"SELECT '{meta.label}', COUNT(*), CAST(MAX({quote(column)}) AS VARCHAR(64)) "
                     f"FROM {quote(meta.db_table)}")
    return " UNION ALL ".join(parts)


def _snapshot(sql: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(cursor.fetchall())


def _form_in(response) -> BaseForm | None:
    if response.context is None:
        return None
    for context in response.context if isinstance(response.context, ContextList) else [response.context]:
        for value in context.flatten().values():
            if isinstance(value, BaseForm):
                return value
    return None


def _refused(response, *, is_json: bool) -> bool:
    """Whether the request was turned down: an error status, or a form shown again with its errors."""
    if response.status_code >= 400:
        return True
    if is_json:
        return False
    form = _form_in(response)
    return bool(form is not None and form.is_bound and form.errors)


def _baseline_from(form: BaseForm) -> dict:
    """The values a form shows, as the browser would send them back."""
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field, BooleanField):
            if value:
                data[bound.html_name] = "on"
            continue
        shown = bound.field.widget.format_value(value)
        if shown is None or shown == []:
            continue
        data[bound.html_name] = [str(v) for v in shown] if isinstance(shown, list) else str(shown)
    return data


@dataclass
class Run:
    client: Client
    cookies: SimpleCookie
    rng: random.Random
    snapshot_sql: str
    baseline_rows: list
    sent: int = 0
    problems: list = field(default_factory=list)

    def send(self, method: str, path: str, *, is_json: bool = False, **kwargs):
        """One request in a rolled-back savepoint: its status, its time, and any row a refusal changed."""
        caches["fuzz"].clear()
        self.client.cookies = copy.deepcopy(self.cookies)
        self.sent += 1
        described = f"{method} {path[:120]} {str(kwargs.get('data'))[:300]!r}"
        with transaction.atomic():
            started = time.perf_counter()
            try:
                response = getattr(self.client, method.lower())(path, **kwargs)
            except Exception as error:  # a view that raised: the server would have answered 500
                self.problems.append(f"{type(error).__name__}: {str(error)[:200]} ← {described}")
                transaction.set_rollback(True)
                return None
            elapsed = time.perf_counter() - started
            if response.status_code >= 500:
                self.problems.append(f"{response.status_code} ← {described}")
            if 300 <= response.status_code < 400 and not _is_our_page(response["Location"]):
                self.problems.append(f"redirected to {response['Location'][:80]!r} ← {described}")
            if elapsed > SLOW_SECONDS:
                self.problems.append(f"{elapsed:.1f} s ← {described}")
            if (method == "GET" or _refused(response, is_json=is_json)) and \
                    _snapshot(self.snapshot_sql) != self.baseline_rows:
                self.problems.append(f"rows changed by a refused request ({response.status_code}) ← {described}")
            transaction.set_rollback(True)
        return response


@pytest.fixture
def fuzz_cache(settings):
    """Rate limits count in a cache of this test's own, emptied before every request: every input gets through."""
    settings.CACHES = {**settings.CACHES,
                       "fuzz": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fuzz"}}
    settings.RATELIMIT_USE_CACHE = "fuzz"


def _signed_in(user) -> tuple[Client, SimpleCookie]:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client, copy.deepcopy(client.cookies)


def _fuzz_target(run: Run, name: str, target: Target, world: dict):
    rng = run.rng
    kwargs = _path_kwargs(target.path_kwargs, world)
    # Not fuzzed, and kept: a password reset link puts its token in the session and sends the browser on
    # to ".../set-password/", where the form is.
    run.client.cookies = copy.deepcopy(run.cookies)
    page = run.client.get(reverse(name, kwargs=kwargs))
    run.cookies = copy.deepcopy(run.client.cookies)
    if page.status_code == 302 and page.url.rstrip("/").endswith("set-password"):
        kwargs = {**kwargs, "token": "set-password"}
    form = _form_in(page) if page.status_code == 200 else None
    baseline = {**(_baseline_from(form) if form is not None else {}), **target.baseline}
    fields = sorted(set(target.post or ()) | (set(form.fields) if form is not None and target.post is not None
                                              else set()))
    for _ in range(MUTATIONS_PER_TARGET):
        mutated_path = reverse(name, kwargs=_mutated_path_kwargs(kwargs, rng))
        headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": rng.choice(["customer-results", "x"])} \
            if rng.random() < 0.2 else {}
        if target.json:
            body, content_type = nasty_json(rng, world["customer"].pk)
            run.send("POST", mutated_path, is_json=True, data=body, content_type=content_type, **headers)
            continue
        if target.post is None or (target.query and rng.random() < 0.3):
            names = list(target.query) + ["unknown"]
            query = {n: nasty_value(rng) for n in rng.sample(names, rng.randrange(1, len(names) + 1))}
            run.send("GET", mutated_path, data={k: v[:10_000] for k, v in query.items()}, **headers)
            continue
        data = dict(baseline)
        for n in rng.sample(fields + ["unknown"], min(len(fields) + 1, rng.randrange(1, 4))):
            data[n] = [nasty_value(rng), nasty_value(rng)] if rng.random() < 0.1 else nasty_value(rng)
        if rng.random() < 0.05:
            data.update({f"flood{i}": "x" for i in range(1_200)})  # more fields than Django reads
        if rng.random() < 0.1:
            run.send("POST", mutated_path, data=json.dumps(data), content_type=rng.choice(
                ["application/json", "text/plain"]), **headers)
        else:
            files = {name: nasty_file(rng) for name in target.files}  # a file field's mutation is the file
            run.send("POST", mutated_path, data={**data, **files}, **headers)


def _targets_for(persona: str) -> list[tuple[str, Target]]:
    return [(name, target) for name, target in sorted(TARGETS.items()) if persona != "signed out" or target.public]


def _fuzz(persona: str, world: dict) -> Run:
    user = {"owner": world["owner"], "field worker": world["worker"], "signed out": None}[persona]
    client, cookies = _signed_in(user)
    sql = _snapshot_sql()
    run = Run(client=client, cookies=cookies, rng=random.Random(f"{SEED}-{persona}"), snapshot_sql=sql,
              baseline_rows=_snapshot(sql))
    for name, target in _targets_for(persona):
        _fuzz_target(run, name, target, world)
    return run


def test_the_fuzzer_sends_at_least_2000_inputs():
    assert sum(len(_targets_for(persona)) * MUTATIONS_PER_TARGET for persona in PERSONAS) >= 2_000


@pytest.mark.clock(NOW)
@pytest.mark.usefixtures("fuzz_cache")
@pytest.mark.parametrize("persona", PERSONAS)
def test_fuzzed_input_never_gets_a_server_error_a_slow_answer_or_a_changed_row_when_refused(world, persona):
    run = _fuzz(persona, world)

    assert run.sent == len(_targets_for(persona)) * MUTATIONS_PER_TARGET
    assert run.problems == []


@pytest.mark.clock(NOW)
def test_posts_without_a_csrf_token_are_refused_and_change_nothing(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["owner"])
    sql = _snapshot_sql()
    before = _snapshot(sql)
    names = [name for name, target in TARGETS.items() if target.post is not None or target.json] + ["logout"]

    answers = {}
    for name in names:
        target = TARGETS.get(name, Target())
        response = client.post(reverse(name, kwargs=_path_kwargs(target.path_kwargs, world)), target.baseline)
        answers[name] = response.status_code

    assert {name: status for name, status in answers.items() if status != 403} == {}
    assert _snapshot(sql) == before


def test_the_snapshot_sees_a_change(world):
    sql = _snapshot_sql()
    before = _snapshot(sql)

    TagFactory(name="one more")

    assert _snapshot(sql) != before


# ---------------------------------------------------------------------------------------------------------------
# The causes of the server errors measured before this test existed, one test each.

HUGE_ID = "1" * 5_000


@pytest.mark.parametrize("name", ["followups:done", "followups:try_again"])
@pytest.mark.parametrize("wrong", ["logout", "foo", "//evil.com", "/logout/"])
def test_a_next_that_is_not_one_of_our_pages_is_left_out(owner_client, name, wrong):
    followup = FollowUpFactory()

    page = owner_client.get(reverse(name, args=[followup.pk]), {"next": wrong})

    assert page.status_code == 200
    assert 'name="next"' not in page.content.decode()


def test_done_with_a_next_to_the_logout_page_goes_back_to_the_customer(owner_client):
    followup = FollowUpFactory()

    response = owner_client.post(reverse("followups:done", args=[followup.pk]), {"outcome": "", "next": "/logout/"})

    assert response.status_code == 302
    assert response["Location"] == followup.customer.get_absolute_url()


def _sync(client, body: str):
    return client.post(reverse("offline:sync_interaction"), body, content_type="application/json")


def test_a_json_body_nested_30000_deep_is_refused_with_a_clear_message(worker_client):
    response = _sync(worker_client, "[" * 30_000 + "]" * 30_000)

    assert response.status_code == 400
    assert "nests deeper" in response.json()["errors"]["__all__"][0]["message"]


def test_a_json_body_nested_50000_deep_is_too_large_to_be_read(worker_client):
    response = _sync(worker_client, "[" * 50_000 + "]" * 50_000)

    assert response.status_code == 413


def test_a_json_body_larger_than_64_kb_is_refused_unread(worker_client):
    customer = CustomerFactory()
    visit = {"client_key": str(uuid.uuid4()), "customer": customer.pk, "data": {"asked_for": "x" * 70_000}}

    response = _sync(worker_client, json.dumps(visit))

    assert response.status_code == 413
    assert "64 KB" in response.json()["errors"]["__all__"][0]["message"]
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("customer_id", [HUGE_ID, 1e308, "Infinity", True, -1, 2**63, "²"])
def test_a_visit_for_a_customer_id_that_cannot_be_one_is_refused(worker_client, customer_id):
    body = json.dumps({"client_key": str(uuid.uuid4()), "customer": customer_id, "data": {}})

    response = _sync(worker_client, body)

    assert response.status_code == 400
    assert response.json()["errors"]["__all__"][0]["message"] == "This is not a visit the server understands."


@pytest.mark.parametrize(("name", "query"), [
    ("customers:picker", {"q": "ann", "exclude": HUGE_ID}),
    ("customers:check_duplicates", {"phone": "+1 202 555 0123", "exclude": HUGE_ID}),
    ("customers:list", {"after": HUGE_ID}),
    ("customers:list", {"tag": "9" * 30}),
    ("feedback:list", {"customer": HUGE_ID}),
    ("actionplans:step_from_text", {"customer": HUGE_ID, "text": "Call ahead"}),
])
def test_an_id_of_5000_digits_in_a_link_is_ignored(owner_client, name, query):
    response = owner_client.get(reverse(name), query)

    assert response.status_code == 200


def test_a_referrer_of_5000_digits_in_the_new_customer_link_is_left_out_with_a_message(owner_client):
    response = owner_client.get(reverse("customers:create"), {"referred_by": HUGE_ID})

    assert response.status_code == 200
    assert "not a customer number" in response.content.decode()
    assert response.context["form"]["referred_by"].value() is None


def test_a_referrer_of_5000_digits_posted_is_refused_beside_the_field(owner_client):
    response = owner_client.post(reverse("customers:create"), {**CUSTOMER_BASELINE, "referred_by": HUGE_ID})

    assert response.status_code == 200
    assert "referred_by" in response.context["form"].errors
    assert response.context["form"]["name"].value() == "Fuzz Person"


def test_a_follow_up_assignee_of_5000_digits_is_refused_beside_the_field(owner_client):
    customer = CustomerFactory()

    response = owner_client.post(reverse("interactions:create", args=[customer.pk]), {
        **INTERACTION_BASELINE, "followup_description": "Call", "followup_due": "2026-11-21",
        "followup_assignee": HUGE_ID,
    })

    assert response.status_code == 200
    assert "followup_assignee" in response.context["form"].errors
    assert not Interaction.objects.exists()


SEARCH_REFUSED = "Remove the control characters from the search."


@pytest.mark.parametrize("name", ["customers:quick_search", "customers:picker"])
def test_a_search_as_you_type_with_a_nul_byte_says_so_instead_of_searching(worker_client, name):
    CustomerFactory(name="Ann Lee")

    response = worker_client.get(reverse(name), {"q": "an\x00n"})

    assert response.status_code == 200
    assert SEARCH_REFUSED in response.content.decode()
    assert "Ann Lee" not in response.content.decode()


def test_the_customer_list_with_a_nul_byte_says_so_and_keeps_the_text_in_the_box(worker_client):
    CustomerFactory(name="Ann Lee")

    response = worker_client.get(reverse("customers:list"), {"q": "an\x00n"})

    assert response.status_code == 200
    assert SEARCH_REFUSED in response.content.decode()
    assert response.context["page"].customers == []
    assert response.context["params"]["q"] == "an\x00n"


def test_the_customer_list_results_with_a_nul_byte_say_so(worker_client):
    response = worker_client.get(reverse("customers:list"), {"q": "\x00"},
                                 HTTP_HX_REQUEST="true", HTTP_HX_TARGET="customer-results")

    assert SEARCH_REFUSED in response.content.decode()


def test_the_feedback_search_with_a_nul_byte_says_so_beside_the_box(owner_client):
    response = owner_client.get(reverse("feedback:list"), {"q": "\x00"})

    assert response.status_code == 200
    assert response.context["form"].errors["q"] == [SEARCH_REFUSED]


def test_the_duplicate_check_ignores_an_email_with_a_nul_byte(worker_client):
    CustomerFactory(name="Ann Lee", phone="+12025550123")

    response = worker_client.get(reverse("customers:check_duplicates"),
                                 {"phone": "+1 202 555 0123", "email": "ann\x00@example.com"})

    assert response.status_code == 200
    assert "Ann Lee" in response.content.decode()


def test_a_customer_name_with_a_control_character_is_refused_beside_the_field_and_kept(owner_client):
    response = owner_client.post(reverse("customers:create"), {**CUSTOMER_BASELINE, "name": "Ann\x00 Lee",
                                                               "wants": "Hedge\r\ncut"})

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["name"]
    assert "control characters" in form.errors["name"][0]
    assert form["name"].value() == "Ann\x00 Lee"
    assert form["wants"].value() == "Hedge\r\ncut"


@pytest.mark.parametrize("typed", ["9e999997", "1e5", "-9e999997", "1" * 5_000])
def test_a_duration_in_exponent_form_or_too_long_is_refused_at_once(owner_client, typed):
    customer = CustomerFactory()

    started = time.perf_counter()
    response = owner_client.post(reverse("interactions:create", args=[customer.pk]),
                                 {**INTERACTION_BASELINE, "duration_seconds": typed})

    assert time.perf_counter() - started < SLOW_SECONDS
    assert response.context["form"].errors["duration_seconds"] == ["Type minutes (5), or minutes and seconds (4:30)."]


@pytest.mark.parametrize("typed", ["1441", "24:00:01", "99:59:59"])
def test_a_duration_over_a_day_is_refused_with_the_largest_allowed(owner_client, typed):
    customer = CustomerFactory()

    response = owner_client.post(reverse("interactions:create", args=[customer.pk]),
                                 {**INTERACTION_BASELINE, "duration_seconds": typed})

    assert response.context["form"].errors["duration_seconds"] == ["At most 24 hours (24:00:00)."]


@pytest.mark.parametrize(("typed", "seconds"), [("1440", 86_400), ("24:00:00", 86_400), ("90", 5_400)])
def test_a_duration_up_to_a_day_is_kept(owner_client, typed, seconds):
    customer = CustomerFactory()

    response = owner_client.post(reverse("interactions:create", args=[customer.pk]),
                                 {**INTERACTION_BASELINE, "duration_seconds": typed})

    assert response.status_code == 302
    assert Interaction.objects.get().duration_seconds == seconds


def test_an_offline_visit_with_a_duration_of_9e999997_is_refused_beside_the_field(worker_client):
    customer = CustomerFactory()
    visit = {"client_key": str(uuid.uuid4()), "customer": customer.pk,
             "data": {**INTERACTION_BASELINE, "duration_seconds": "9e999997"}}

    started = time.perf_counter()
    response = _sync(worker_client, json.dumps(visit))

    assert time.perf_counter() - started < SLOW_SECONDS
    assert response.status_code == 400
    assert "duration_seconds" in response.json()["errors"]
