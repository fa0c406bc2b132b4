"""Every URL pattern, from the resolver, as five personas, against a table of expected rights.

A pattern without a row fails (a new page cannot escape the table), and so does a row without a pattern
(the table stays the truth). The personas: anonymous, a signed-in user with no role, a field worker on
another field worker's objects, that field worker on their own objects, and the owner. Every object in
the world below belongs to the "own" worker where objects have someone (their interaction, their
follow-up, their plan step); plans are the owner's.

Each request runs in a savepoint that is rolled back, so a POST that succeeds (a delete, a sign-out)
changes nothing for the next one. POST-only views are sent an empty POST with CSRF checks off.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import FIELD_WORKER_GROUP
from core.heartbeat import BEAT_TICK, beat
from feedback.tokens import token_for
from imports.services import batch_create
from mail.models import SentEmail
from tests.actionplans.factories import ActionPlanFactory, ActionStepFactory
from tests.factories import CustomerFactory, FollowUpFactory, InteractionFactory, TagFactory, UserFactory
from tests.feedback.factories import FeedbackFactory, FeedbackRequestFactory
from trash.services import customer_delete

ANON, NOROLE, OTHER, OWN, OWNER = PERSONAS = ("anonymous", "no role", "other worker", "own worker", "owner")

# Answers, by kind: a status code, or where a redirect goes.
LOGIN = "to login"  # a redirect to the sign-in page (ours or the admin's)
REDIRECT = "redirect"  # a redirect anywhere else (after a POST, or away from a page that is not for them)
OK, BAD, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 400, 403, 404, 405


@dataclass(frozen=True)
class Row:
    """What each persona gets at one URL pattern: `subject` names the object (or the path) it is opened with."""

    answers: tuple  # one per persona, in PERSONAS order
    subject: str | None = None
    method: str = "GET"


def everyone(answer):
    return (answer,) * 5


def members(answer, *, anon=LOGIN):
    """The same answer for every signed-in persona; anonymous is sent to sign in."""
    return (anon, answer, answer, answer, answer)


def owner_only(owner_answer=OK, *, others=FORBIDDEN):
    return (LOGIN, others, others, others, owner_answer)


def author_and_owner(answer=OK):
    """Their own work: its author and the owner; the others get 403."""
    return (LOGIN, FORBIDDEN, FORBIDDEN, answer, answer)


ROWS = {
    # The public pages (settings.PUBLIC_VIEWS)
    "login": Row((OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "password_reset": Row(everyone(OK)),
    "password_reset_done": Row(everyone(OK)),
    # A valid link moves on to the password form at an address without the token in it
    "password_reset_confirm": Row(everyone(REDIRECT), subject="reset_link"),
    "password_reset_complete": Row(everyone(OK)),
    "healthz": Row(everyone(OK)),
    "feedback:answer": Row(everyone(OK), subject="feedback_token"),
    "offline:service_worker": Row(everyone(OK)),
    "offline:manifest": Row(everyone(OK)),
    "offline:page": Row(everyone(OK)),
    # Signing out: POST only; it ends on the sign-in page
    "logout": Row(everyone(LOGIN), method="POST"),
    "accounts:sign_out_everywhere": Row(everyone(LOGIN), method="POST"),
    # The signed-in person's own account
    "accounts:profile": Row(members(OK)),
    "accounts:password_change": Row(members(OK)),
    "accounts:password_done": Row(members(OK)),
    "today": Row(members(OK)),
    # Customers: in a small team everyone covers, so every signed-in user opens every customer;
    # only the owner deletes (the others are sent back to the card with a message)
    "customers:quick_search": Row(members(OK)),
    "customers:list": Row(members(OK)),
    "customers:create": Row(members(OK)),
    "customers:check_duplicates": Row(members(OK)),
    "customers:picker": Row(members(OK)),
    "customers:detail": Row(members(OK), subject="customer"),
    "customers:edit": Row(members(OK), subject="customer"),
    "customers:vcard": Row(members(OK), subject="customer"),
    # Exports: everyone downloads (the money columns are left out for all but the owner, inside the file)
    "exports:page": Row(members(OK)),
    "exports:customers_csv": Row(members(OK)),
    "exports:customers_xlsx": Row(members(OK)),
    "exports:interactions_csv": Row(members(OK)),
    "exports:interactions_xlsx": Row(members(OK)),
    "exports:followups_csv": Row(members(OK)),
    "exports:followups_xlsx": Row(members(OK)),
    "trash:customer_delete": Row((LOGIN, REDIRECT, REDIRECT, REDIRECT, OK), subject="customer"),
    # The trash: the owner's alone.
    "trash:list": Row(owner_only()),
    "trash:restore": Row(owner_only(REDIRECT), subject="trashed", method="POST"),
    "trash:erase": Row(owner_only(), subject="trashed"),
    # Possible duplicates and merging two customers: the owner's alone (a merge moves everything of both)
    "merge:duplicates": Row(owner_only()),
    "merge:merge": Row(owner_only(), subject="merge_pair"),
    # The full backup and one customer's data: the owner's alone (everything, money and addresses included)
    "backup:page": Row(owner_only()),
    "backup:download": Row(owner_only()),
    "backup:customer_data": Row(owner_only(), subject="customer"),
    "backup:customer_data_zip": Row(owner_only(), subject="customer"),
    # Interactions: anyone logs one; only its author and the owner change or delete it
    "interactions:create": Row(members(OK), subject="customer"),
    "interactions:edit": Row(author_and_owner(), subject="interaction"),
    "interactions:delete": Row(author_and_owner(), subject="interaction"),
    # Follow-ups: everyone covers a colleague's (done, once more, reopen); only its assignee and the owner
    # edit or reassign it (followups.rules)
    "followups:create": Row(members(OK), subject="customer"),
    "followups:edit": Row(author_and_owner(), subject="followup"),
    "followups:done": Row(members(OK), subject="followup"),
    "followups:try_again": Row(members(OK), subject="followup"),
    "followups:reopen": Row(members(REDIRECT), subject="followup", method="POST"),
    # Feedback: everyone records and asks; only the owner turns an improvement into work
    "feedback:list": Row(members(OK)),
    "feedback:create": Row(members(OK), subject="customer"),
    "feedback:request_create": Row(members(REDIRECT), subject="customer", method="POST"),
    "feedback:improvement_followup": Row(owner_only(REDIRECT), subject="improvement", method="POST"),
    # Action plans: everyone reads; the owner manages; a step's assignee checks it off
    "actionplans:list": Row(members(OK)),
    "actionplans:detail": Row(members(OK), subject="plan"),
    "actionplans:create": Row(owner_only()),
    "actionplans:step_from_text": Row(owner_only()),
    "actionplans:edit": Row(owner_only(), subject="plan"),
    "actionplans:delete": Row(owner_only(), subject="plan"),
    "actionplans:step_create": Row(owner_only(), subject="plan"),
    "actionplans:step_edit": Row(owner_only(), subject="step"),
    "actionplans:step_delete": Row(owner_only(REDIRECT), subject="step", method="POST"),
    "actionplans:step_move": Row(owner_only(REDIRECT), subject="step", method="POST"),
    "actionplans:step_toggle": Row(author_and_owner(REDIRECT), subject="step", method="POST"),
    # The phone's offline copy
    "offline:precache": Row(members(OK)),
    "offline:saved_customer": Row(members(OK), subject="customer"),
    "offline:sync_interaction": Row(members(BAD), method="POST"),  # an empty body is no interaction
    # Insights: everyone reads the page (a field worker without the money); the money tables' CSVs are the owner's
    "insights:page": Row(members(OK)),
    "insights:csv": Row(owner_only(), subject="money_table"),
    # The owner's team page
    "team:list": Row(owner_only()),
    "business_settings": Row(owner_only()),
    "team:invite": Row(owner_only()),
    "team:invite_again": Row(owner_only(REDIRECT), subject="own_worker", method="POST"),
    "team:deactivate": Row(owner_only(), subject="own_worker"),
    "team:reactivate": Row(owner_only(REDIRECT), subject="own_worker", method="POST"),
    "team:lockout_lift": Row(owner_only(REDIRECT), method="POST"),
    # The owner's failed emails; "Send again" on one that is not failing says so and goes back to the list
    "mail:failed": Row(owner_only()),
    "mail:send_again": Row(owner_only(REDIRECT), subject="sent_email", method="POST"),
    # Keep your customers: the At-risk list is everyone's (it shows no money)
    "insights:at_risk": Row(members(OK)),
    # Importing customers: the owner's alone. Undoing an import that never ran says so and goes back to it.
    "imports:start": Row(owner_only()),
    "imports:detail": Row(owner_only(), subject="import_batch"),
    "imports:progress": Row(owner_only(), subject="import_batch"),
    "imports:undo": Row(owner_only(REDIRECT), subject="import_batch", method="POST"),
    "imports:notes": Row(owner_only(), subject="import_notes"),
}

# The admin: staff only (the owner). Everyone else is sent to the admin's own sign-in page.
STAFF = (LOGIN, LOGIN, LOGIN, LOGIN, OK)
ROWS |= {
    "admin:index": Row(STAFF),
    # The admin's sign-in page is open (Django marks it so); a signed-in non-staff user is told they lack access
    "admin:login": Row((OK, OK, OK, OK, REDIRECT)),
    # Signing out of the admin ends on our sign-in page; a non-staff user is sent to the admin's index instead
    "admin:logout": Row((LOGIN, REDIRECT, REDIRECT, REDIRECT, LOGIN), method="POST"),
    "admin:password_change": Row(STAFF),
    "admin:password_change_done": Row(STAFF),
    "admin:autocomplete": Row((LOGIN, LOGIN, LOGIN, LOGIN, FORBIDDEN)),  # without the widget's parameters
    "admin:jsi18n": Row(STAFF),
    "admin:view_on_site": Row((LOGIN, LOGIN, LOGIN, LOGIN, REDIRECT), subject="view_on_site"),
    "admin:app_list": Row(STAFF, subject="admin_app"),
    "admin/(?P<url>.*)$": Row((LOGIN, LOGIN, LOGIN, LOGIN, NOT_FOUND), subject="admin_nowhere"),
    "admin:auth_user_password_change": Row(STAFF, subject="own_worker"),
}
# Every model the admin shows, by "app.model": its changelist, add, change, delete and history pages, the
# bare object URL (a redirect to the change page), and simple_history's version page where it keeps one.
ADMIN_MODELS = {
    "auth.group": "group",
    "axes.accessattempt": "access_attempt",
    "axes.accesslog": "access_log",
    "axes.accessfailurelog": "access_failure_log",
    "accounts.user": "own_worker",
    "customers.tag": "tag",
    "customers.customer": "customer",
    "followups.followup": "followup",
    "interactions.interaction": "interaction",
    "mail.sentemail": "sent_email",
    "feedback.feedback": "feedback",
    "feedback.feedbackrequest": "feedback_request",
    "actionplans.actionplan": "plan",
    "actionplans.actionstep": "step",
}
# Where the admin refuses even the owner: these rows are written by the app (axes records sign-in attempts,
# the mail sender its sent-log, a feedback request is made from the customer's card), never added by hand.
ADMIN_EXCEPTIONS = {
    "admin:axes_accessattempt_add": FORBIDDEN,
    "admin:axes_accesslog_add": FORBIDDEN,
    "admin:axes_accessfailurelog_add": FORBIDDEN,
    "admin:mail_sentemail_add": FORBIDDEN,
    "admin:feedback_feedbackrequest_add": FORBIDDEN,
}
SIMPLE_HISTORY_MODELS = {"actionplans.actionplan": "plan_version", "actionplans.actionstep": "step_version",
                         "customers.customer": "customer_version", "followups.followup": "followup_version"}
for _label, _subject in ADMIN_MODELS.items():
    _app, _model = _label.split(".")
    _prefix = f"admin:{_app}_{_model}"
    ROWS[f"{_prefix}_changelist"] = Row(STAFF)
    ROWS[f"{_prefix}_add"] = Row(STAFF)
    for _page in ("change", "delete", "history"):
        ROWS[f"{_prefix}_{_page}"] = Row(STAFF, subject=_subject)
    ROWS[f"admin/{_app}/{_model}/<path:object_id>/"] = Row(STAFF[:4] + (REDIRECT,), subject=_subject)
for _label, _subject in SIMPLE_HISTORY_MODELS.items():
    _app, _model = _label.split(".")
    ROWS[f"admin:{_app}_{_model}_simple_history"] = Row(STAFF, subject=_subject)
for _key, _answer in ADMIN_EXCEPTIONS.items():
    ROWS[_key] = Row(ROWS[_key].answers[:4] + (_answer,), ROWS[_key].subject, ROWS[_key].method)


# The resolver's patterns

@dataclass(frozen=True)
class Pattern:
    key: str  # the URL name, namespaced; the route where a pattern has no name
    route: str  # the full route, prefixes included


def url_patterns(resolver=None, prefix="", namespace="") -> list[Pattern]:
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += url_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            found.append(Pattern(f"{namespace}{entry.name}" if entry.name else route, route))
    return found


PLACEHOLDER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def url_for(pattern: Pattern, subject):
    """The pattern's path, with the subject's value in every converter (or the subject's own path)."""
    if isinstance(subject, str) and subject.startswith("/"):
        return subject
    if isinstance(subject, dict):
        return reverse(pattern.key, kwargs=subject)
    if pattern.key != pattern.route:
        names = [match["name"] for match in PLACEHOLDER.finditer(pattern.route)]
        return reverse(pattern.key, kwargs={name: subject for name in names})
    path = "/" + PLACEHOLDER.sub(lambda match: str(subject), pattern.route)
    assert not re.search(r"[\^$()?*]", path), f"{pattern.key}: a regex pattern needs a path as its subject"
    return path


# The world every persona works in

@pytest.fixture
def world(db, settings):
    # The rate limits count in a cache of this test's own (with REDIS_URL the default cache is shared).
    settings.CACHES = {**settings.CACHES, "url-rights": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                         "LOCATION": "url-rights"}}
    settings.RATELIMIT_USE_CACHE = "url-rights"
    caches["url-rights"].clear()

    owner = UserFactory(username="olivia", role="owner")
    own = UserFactory(username="will", role="field_worker")
    other = UserFactory(username="wanda", role="field_worker")
    norole = UserFactory(username="nora")
    forgetful = UserFactory(username="fred", role="field_worker")  # never signs in here: the reset link stays valid
    # A worker who has not chosen a password yet, so "invite again" has someone to invite
    own.set_unusable_password()
    own.save(update_fields=["password"])

    customer = CustomerFactory(tags=[TagFactory(name="hedges")])
    second_customer = CustomerFactory(name="Second Sam")
    interaction = InteractionFactory(customer=customer, user=own)
    followup = FollowUpFactory(customer=customer, assigned_to=own)
    plan = ActionPlanFactory(owner=owner)
    step = ActionStepFactory(plan=plan, assignee=own)
    feedback = FeedbackFactory(customer=customer, improvements=["Call ahead"])
    feedback_request = FeedbackRequestFactory(customer=customer)
    sent_email = SentEmail.objects.create(user=own, kind=SentEmail.Kind.REMINDER, period="2026-03-10",
                                          claimed_at=timezone.now())
    attempt = dict(user_agent="test", ip_address="203.0.113.7", username="will", http_accept="*/*", path_info="/login/")
    beat(BEAT_TICK)  # /healthz answers 200 only with a recent tick of the beat
    trashed = customer_delete(customer=CustomerFactory(name="Trashed Tom"), deleted_by=owner)
    import_batch = batch_create(filename="c.csv", data=b"Name\nAnn\n", created_by=owner)

    subjects = {
        "trashed": trashed.pk,
        "customer": customer.pk,
        "merge_pair": {"keep_pk": customer.pk, "other_pk": second_customer.pk},
        "interaction": interaction.pk,
        "followup": followup.pk,
        "plan": plan.pk,
        "step": step.pk,
        "improvement": feedback.items.get().pk,
        "feedback": feedback.pk,
        "feedback_request": feedback_request.pk,
        "feedback_token": token_for(feedback_request),
        "own_worker": own.pk,
        "group": Group.objects.get(name=FIELD_WORKER_GROUP).pk,
        "tag": customer.tags.get().pk,
        "sent_email": sent_email.pk,
        "money_table": {"table": "revenue"},
        "import_batch": import_batch.pk,
        "import_notes": {"pk": import_batch.pk, "kind": "rejected"},
        "access_attempt": AccessAttempt.objects.create(**attempt, failures_since_start=3).pk,
        "access_log": AccessLog.objects.create(**attempt).pk,
        "access_failure_log": AccessFailureLog.objects.create(**attempt).pk,
        "reset_link": {"uidb64": urlsafe_base64_encode(force_bytes(forgetful.pk)),
                       "token": default_token_generator.make_token(forgetful)},
        "view_on_site": f"/admin/r/{ContentType.objects.get_for_model(customer).pk}/{customer.pk}/",
        "admin_app": "/admin/customers/",
        "admin_nowhere": "/admin/no-such-page/",
        "plan_version": f"/admin/actionplans/actionplan/{plan.pk}/history/{plan.history.latest().history_id}/",
        "step_version": f"/admin/actionplans/actionstep/{step.pk}/history/{step.history.latest().history_id}/",
        "customer_version": f"/admin/customers/customer/{customer.pk}/history/{customer.history.latest().history_id}/",
        "followup_version": f"/admin/followups/followup/{followup.pk}/history/{followup.history.latest().history_id}/",
    }
    sessions = {}
    for persona, user in ((NOROLE, norole), (OTHER, other), (OWN, own), (OWNER, owner)):
        client = Client()
        client.force_login(user)
        sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return subjects, sessions


class _Rollback(Exception):
    pass


def answer_of(response) -> object:
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        return LOGIN if target in (reverse("login"), reverse("admin:login")) else REDIRECT
    return response.status_code


def answers_as(persona: str, world) -> dict[str, object]:
    """{pattern key: answer} for every pattern that has a row, each request in a savepoint rolled back."""
    subjects, sessions = world
    answers = {}
    for pattern in url_patterns():
        row = ROWS.get(pattern.key)
        if row is None:
            continue
        url = url_for(pattern, subjects.get(row.subject))
        client = Client(raise_request_exception=False)
        if persona in sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[persona]
        try:
            with transaction.atomic():
                response = client.post(url) if row.method == "POST" else client.get(url)
                raise _Rollback
        except _Rollback:
            pass
        answers[pattern.key] = answer_of(response)
    return answers


# The tests

def test_every_url_pattern_has_a_row():
    keys = [pattern.key for pattern in url_patterns()]

    assert sorted(key for key in keys if key not in ROWS) == []
    assert len(keys) == len(set(keys)), "two patterns share a name: the table cannot tell them apart"


def test_every_row_has_a_url_pattern():
    keys = {pattern.key for pattern in url_patterns()}

    assert sorted(key for key in ROWS if key not in keys) == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_exactly_the_rights_in_the_table(persona, world):
    index = PERSONAS.index(persona)

    answers = answers_as(persona, world)

    # {pattern: (what the persona got, what the table says)} for every answer that differs
    differences = {key: (answer, ROWS[key].answers[index]) for key, answer in answers.items()
                   if answer != ROWS[key].answers[index]}
    assert differences == {}


def test_anonymous_opens_exactly_the_public_views(world):
    answers = answers_as(ANON, world)

    opened = {key for key, answer in answers.items() if answer != LOGIN}
    # The admin's sign-in page is the admin's own (Django opens it); every other public page is in the one list.
    assert opened == set(settings.PUBLIC_VIEWS) | {"admin:login"}

