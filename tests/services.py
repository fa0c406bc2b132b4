"""Real services for tests: an SMTP server on loopback (aiosmtpd), Redis, and Celery worker processes.

Reusable from any test folder: import the fixtures into that folder's conftest.py:

    from tests.services import celery_workers, redis_broker, smtp_server  # noqa: F401

A worker is a separate process, so it must see the test's rows: use
`pytest.mark.django_db(transaction=True)`, and a database another process can open (PostgreSQL
through DATABASE_URL, or SQLite in a file through TEST_SQLITE_NAME); otherwise the tests skip.
"""

import asyncio
import email
import email.policy
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from servicecrm.celery import app as celery_app

REPO = Path(__file__).resolve().parent.parent
# A Redis database of our own, flushed by each test that uses it.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def missing_part(reason: str):
    """A real part a test needs (Chromium, Redis, PostgreSQL, a worker's database) is not there: with CI=true the
    test fails, so a run that lost a part cannot pass by skipping; on a developer's machine it is skipped."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout: float = 20.0, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}")


class RecordingHandler:
    """Keeps every accepted message, parsed; can refuse or hold messages to reproduce failures."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.data_attempts = 0
        self.refusals: list[str] = []  # replies to give, in order, before accepting again
        self.hold_next = False  # hold the next DATA until `release` is set, then refuse it
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.data_attempts += 1
        if self.hold_next:
            self.hold_next = False
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
            # The client is gone by now: the message is not accepted, as with a real server.
            return "451 4.3.0 Message not accepted"
        if self.refusals:
            return self.refusals.pop(0)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 2.0.0 OK"


def send_mail_to(settings, port: int, *, timeout: int = 10) -> None:
    """Django's SMTP backend pointed at the SMTP server on loopback at `port`, plain and without a login."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = timeout


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1; `smtp_server.handler.messages` holds what it accepted."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.url = f"smtp://127.0.0.1:{controller.port}"
    yield controller
    handler.release.set()
    controller.stop()


@pytest.fixture
def redis_broker():
    """Point this process's Celery app at a Redis database of our own (emptied first); restore after."""
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        missing_part(f"Redis is not running at {TEST_REDIS_URL}")
    client.flushdb()
    saved = {key: celery_app.conf[key] for key in ("broker_url", "broker_transport_options")}
    celery_app.conf.update(broker_url=TEST_REDIS_URL, broker_transport_options={"visibility_timeout": 3600})
    _reset_celery_connections()
    yield client
    celery_app.conf.update(saved)
    _reset_celery_connections()
    client.flushdb()
    client.close()


def _reset_celery_connections():
    # What Celery and kombu do after a fork: drop pooled connections so the next send uses the new broker.
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def worker_database_url() -> str:
    """The test database (already created by pytest-django) as a URL a worker process can open."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if connection.is_in_memory_db() or not os.path.isabs(name):
            missing_part(
                "A Celery worker process cannot open the in-memory SQLite test database: run with "
                "DATABASE_URL=postgres://... or TEST_SQLITE_NAME=/abs/path/test.sqlite3"
            )
        return f"sqlite:///{name}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = quote(db["USER"] or "")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"])
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    missing_part(f"No worker support for {db['ENGINE']}")


class Worker:
    def __init__(self, name: str, env: dict):
        self.name = name
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "servicecrm", "worker", "--pool=solo", "--loglevel=INFO",
             f"--hostname={name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def wait_ready(self) -> "Worker":
        wait_for(lambda: self.ready or self.process.poll() is not None, timeout=30, what=f"worker {self.name} to start")
        if not self.ready:
            raise AssertionError(f"Worker {self.name} exited:\n" + self.output)
        return self

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def ready(self) -> bool:
        return any(" ready." in line for line in self.lines)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def kill(self):
        """SIGKILL: no warm shutdown, no chance to finish or acknowledge anything."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


class Workers:
    """Starts Celery worker processes that share the test's database, Redis and SMTP server."""

    def __init__(self, env: dict):
        self.env = env
        self.started: list[Worker] = []

    def start(self, *names: str) -> Worker | list[Worker]:
        """Start workers (in parallel) and wait until each is ready: start() or start("w1", "w2")."""
        workers = [Worker(name, self.env) for name in names or ("w1",)]
        self.started.extend(workers)
        for worker in workers:
            worker.wait_ready()
        return workers if len(names) > 1 else workers[0]

    def stop_all(self):
        # Idle by now, and the test's Redis database is flushed: no need for a slow warm shutdown.
        for worker in self.started:
            if worker.process.poll() is None:
                worker.kill()


@pytest.fixture
def worker_env(transactional_db, smtp_server, redis_broker):
    """Environment for worker processes; tests may add settings (e.g. BUSINESS_NAME) before starting one."""
    env = {key: value for key, value in os.environ.items() if key not in ("TEST_SQLITE_NAME", "EMAIL_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="servicecrm.settings.test",
        DATABASE_URL=worker_database_url(),
        REDIS_URL=TEST_REDIS_URL,
        TEST_EMAIL_URL=smtp_server.url,
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def celery_workers(worker_env):
    workers = Workers(worker_env)
    yield workers
    workers.stop_all()
