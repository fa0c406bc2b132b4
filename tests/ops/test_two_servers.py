"""Two web servers behind one load balancer: two gunicorn instances on one PostgreSQL database and one Redis.

A browser signed in on one server goes on, with the same cookies, on the other; a rate limit and the login lockout
count requests made to either server together. Nothing a request leaves behind may stay in one process.
"""

import os
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar

import pytest
from django.db import connection

from tests.factories import CustomerFactory, UserFactory
from tests.services import REPO, free_port, missing_part, smtp_server, wait_for, worker_database_url  # noqa: F401

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# A Redis database of its own (the Celery worker tests flush theirs), emptied before and after.
SERVERS_REDIS_URL = os.environ.get("TEST_SERVERS_REDIS_URL", "redis://127.0.0.1:6379/6")
PASSWORD = "the-right-password-7"
LOCKED_MESSAGE = "Too many failed sign-ins from here for this account."


class Server:
    """One gunicorn instance, started from gunicorn.conf.py as in production, with one worker of its own."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", "1", "--bind",
             f"127.0.0.1:{self.port}", "servicecrm.wsgi"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )

    def wait_ready(self):
        def answers():
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn on port {self.port} exited with {self.process.returncode}")
            try:
                return urllib.request.urlopen(self.url + "/login/", timeout=2).status == 200
            except OSError:
                return False

        wait_for(answers, timeout=60, interval=0.2, what=f"gunicorn on port {self.port}")

    def stop(self):
        # Before the test database is emptied: the servers' pooled connections must be gone.
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture
def servers_redis():
    import redis

    client = redis.Redis.from_url(SERVERS_REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        missing_part(f"Redis is not running at {SERVERS_REDIS_URL}")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def servers(transactional_db, smtp_server, servers_redis):  # noqa: F811
    """Two servers, A and B, as a load balancer would have them: same database, same Redis, same settings."""
    if connection.vendor != "postgresql":
        missing_part("Two web servers need PostgreSQL: run with DATABASE_URL=postgres://...")
    env = {key: value for key, value in os.environ.items() if key not in ("TEST_SQLITE_NAME", "EMAIL_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="servicecrm.settings.test",
        DATABASE_URL=worker_database_url(),
        DATABASE_POOL="true",
        REDIS_URL=SERVERS_REDIS_URL,
        TEST_EMAIL_URL=smtp_server.url,
        PASSWORD_RESET_RATE_LIMIT="2/h",
        AXES_FAILURE_LIMIT="3",
        PYTHONUNBUFFERED="1",
    )
    started = [Server(env), Server(env)]
    try:
        for server in started:
            server.wait_ready()
        yield started
    finally:
        for server in started:
            server.stop()


class FormFields(HTMLParser):
    """What a browser would send for the page's own form (posted back to the page: no action), as it stands."""

    def __init__(self):
        super().__init__()
        self.inside, self.values = False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("method") == "post" and not attrs.get("action")
        elif not self.inside or "name" not in attrs and tag in ("input", "textarea", "select"):
            return
        elif tag == "input" and (attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs):
            self.values.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.values.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None


class Browser:
    """One browser: its cookies go to every server on 127.0.0.1, whatever the port, as behind a load balancer."""

    def __init__(self):
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects)

    def get(self, url: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, fields) -> tuple[int, str]:
        fields = [*fields, ("csrfmiddlewaretoken", self.csrf_token)]
        data = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(url, data=data, headers={"Referer": url}))

    @property
    def csrf_token(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Each request goes to the server the test names; a redirect is an answer to look at, not to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(browser: Browser, server: Server, username: str, password: str) -> tuple[int, str]:
    browser.get(server.url + "/login/")
    return browser.post(server.url + "/login/", [("username", username), ("password", password)])


def test_signed_in_on_one_server_a_browser_edits_a_customer_on_the_other(servers):
    # Given a worker and a customer, and two servers
    a, b = servers
    UserFactory(username="will", password=PASSWORD, role="field_worker")
    customer = CustomerFactory(name="Mia Hill", town="Springfield")
    browser = Browser()

    # When the worker signs in on A, then opens the card and saves an edit on B with the cookies from A
    assert sign_in(browser, a, "will", PASSWORD)[0] == 302
    card_status, card = browser.get(f"{b.url}/customers/{customer.pk}/")
    edit_url = f"/customers/{customer.pk}/edit/"
    _, page = browser.get(b.url + edit_url)
    form = FormFields()
    form.feed(page)
    fields = [(name, "Shelbyville" if name == "town" else value) for name, value in form.values]
    saved_status, _ = browser.post(b.url + edit_url, fields)

    # Then B knew the session and accepted A's CSRF cookie, and both servers show the change
    assert card_status == 200 and "Mia Hill" in card
    assert saved_status == 302
    customer.refresh_from_db()
    assert customer.town == "Shelbyville"
    assert "Shelbyville" in browser.get(f"{a.url}/customers/{customer.pk}/")[1]


def test_the_password_reset_rate_limit_counts_requests_to_both_servers(servers, smtp_server):  # noqa: F811
    # Given a rate of 2 reset emails an hour per client address, and a user with an email address
    a, b = servers
    UserFactory(username="mia", email="mia@example.com")
    browser = Browser()

    # When one client asks three times, on A, on B, then on A again
    answers = []
    for server in (a, b, a):
        browser.get(server.url + "/password/reset/")
        answers.append(browser.post(server.url + "/password/reset/", [("email", "mia@example.com")])[0])

    # Then every answer looks the same, but only two emails went out: the servers counted together
    assert answers == [302, 302, 302]
    wait_for(lambda: len(smtp_server.handler.messages) >= 2, timeout=10, what="two reset emails")
    assert [message["To"] for message in smtp_server.handler.messages] == ["mia@example.com"] * 2


def test_failed_sign_ins_on_both_servers_lock_the_account_on_each(servers):
    # Given a lockout after 3 failures for one account from one client address, and a user
    a, b = servers
    UserFactory(username="mia", password=PASSWORD)

    # When a client fails twice on A and once on B
    for server in (a, a, b):
        sign_in(Browser(), server, "mia", "wrong")

    # Then even the right password is refused, on either server: the failures were counted together
    for server in (a, b):
        status, page = sign_in(Browser(), server, "mia", PASSWORD)
        assert status == 429
        assert LOCKED_MESSAGE in page
