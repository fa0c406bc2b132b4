"""Page-speed benchmark: seeded data, real HTTP, a real WSGI server (gunicorn), one request at a time and under load.

    .venv/bin/python bench/bench.py --customers 100000 --requests 50 --load-seconds 30

Uses its own SQLite file (var/bench.sqlite3) unless DATABASE_URL is set (CI and the README's figures: PostgreSQL).
Seeds once with `seed_demo --customers N` and reuses the data on later runs. For each page it prints p50/p95/max of
requests made one at a time (after one warm-up request, "first"), and the queries the page runs (counted in-process
by Django's test client, the same view code). Then, for the list and the searches, a bounded run of wrk (Debian's
package) with 20 connections: requests per second and latency percentiles. Timings live here, never in unit tests.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
USERNAME, PASSWORD = "bench", "bench-pass-123"
LOADED = ("customer list", "search 4 phone digits", "search a name")

# Which customer's card, and which numbers to search for, are read from the seeded data.
PICK = """
import json
from django.db.models import Count
from customers.models import Customer
from interactions.models import Interaction
# The card the issue measures has 60 interactions: the seeded customer with the most gets copies of other
# customers' interactions until it has 60 (once; later runs find it).
card, count = Customer.objects.annotate(n=Count("interactions")).order_by("-n", "pk").values_list("pk", "n").first()
if count < 60:
    copies = list(Interaction.objects.exclude(customer_id=card).order_by("pk")[:60 - count])
    for interaction in copies:
        interaction.pk, interaction.customer_id, interaction.client_key = None, card, None
    Interaction.objects.bulk_create(copies)
    count += len(copies)
phones = Customer.objects.exclude(phone_digits="").order_by("pk").values_list("phone_digits", flat=True)
digits = phones[min(500, phones.count() - 1)]
print(json.dumps({"card": card, "interactions": count, "seven": digits[-7:], "four": digits[-4:]}))
"""

VACUUM = """
from django.db import connection
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
"""

# The queries each page runs, counted in-process through Django's test client as the bench user.
COUNT = """
import json, sys
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="localhost")
client.force_login(get_user_model().objects.get(username=%(user)r))
counts = {}
for name, path in json.loads(%(pages)r).items():
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    counts[name] = len(queries)
print(json.dumps(counts))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args, capture=False) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
                            stdout=subprocess.PIPE if capture else None)
    return result.stdout if capture else ""


def wait_for(url: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer at {url}")


def log_in(base: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    opener.open(urllib.request.Request(base + "/login/", data=data, headers={"Referer": base + "/login/"})).read()
    return opener, "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def percentile(timings: list[float], share: float) -> float:
    return timings[min(len(timings) - 1, int(len(timings) * share))]


def one_at_a_time(opener, base: str, path: str, requests: int) -> dict:
    start = time.perf_counter()
    opener.open(base + path).read()  # warm-up (for Insights: the figures are computed and kept)
    first = (time.perf_counter() - start) * 1000
    timings, size = [], 0
    for _ in range(requests):
        start = time.perf_counter()
        body = opener.open(base + path).read()
        timings.append((time.perf_counter() - start) * 1000)
        size = len(body)
    timings.sort()
    return {"p50": statistics.median(timings), "p95": percentile(timings, 0.95), "max": timings[-1], "bytes": size,
            "first": first}


def _ms(text: str) -> float:
    value = float(re.match(r"[\d.]+", text).group())
    return value * 1000 if text.endswith("s") and not text.endswith(("ms", "us")) else (
        value / 1000 if text.endswith("us") else value)


def under_load(url: str, cookie: str, *, seconds: int, connections: int) -> dict:
    """wrk's requests per second and latency percentiles for `connections` clients over `seconds`."""
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", "-H", f"Cookie: {cookie}",
         url], check=True, text=True, stdout=subprocess.PIPE).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for share in ("50", "90", "99"):
        figures[f"p{share}"] = _ms(re.search(rf"^\s+{share}%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["errors"] = int(errors.group(1)) if errors else 0
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=50, help="requests per page, one at a time")
    parser.add_argument("--load-seconds", type=int, default=30, help="seconds of wrk per loaded page (0: none)")
    parser.add_argument("--connections", type=int, default=20, help="wrk's concurrent connections")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "servicecrm.settings.dev")
    env["DJANGO_DEBUG"] = "false"
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    (ROOT / "var").mkdir(exist_ok=True)

    manage(env, "migrate", "-v0")
    env_user = dict(env, DJANGO_SUPERUSER_USERNAME=USERNAME, DJANGO_SUPERUSER_PASSWORD=PASSWORD,
                    DJANGO_SUPERUSER_EMAIL="bench@example.com")
    manage(env_user, "ensure_owner")
    manage(env, "seed_demo", "--customers", str(args.customers), "--if-empty")
    # The bench user must exist even if another owner was created first.
    manage(env, "shell", "-c", (
        "from accounts.services import owner_create;"
        f"owner_create(username={USERNAME!r}, password={PASSWORD!r}, email='bench@example.com')"
    ))
    picked = json.loads(manage(env, "shell", "-c", PICK, capture=True).strip().splitlines()[-1])
    # As autovacuum would have by now (this machine's PostgreSQL runs without it): statistics, and the trigram
    # indexes' pending entries of a freshly seeded book merged in.
    manage(env, "shell", "-c", VACUUM)
    card = f"/customers/{picked['card']}/"
    pages = {
        "today": "/",
        "customer list": "/customers/",
        "customer list, last page": "/customers/?page=last",
        "search 4 phone digits": f"/customers/?q={picked['four']}",
        "search 7 phone digits": f"/customers/?q={picked['seven']}",
        "search a name": "/customers/?q=smi",
        'search "555" (every customer)': "/customers/?q=555",
        f"customer card ({picked['interactions']} interactions)": card,
        "log form": card + "log/",
        "insights, last 90 days": "/insights/",
        "insights, last 365 days": "/insights/?period=365",
        "at risk": "/insights/at-risk/",
    }
    queries = json.loads(manage(env, "shell", "-c", COUNT % {"user": USERNAME, "pages": json.dumps(pages)},
                                capture=True).strip().splitlines()[-1])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = ROOT / "gunicorn.conf.py"
    command = [PYTHON, "-m", "gunicorn", "servicecrm.wsgi", "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    command += ["-c", str(config)] if config.exists() else ["-w", "2"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    results = {"customers": args.customers, "pages": {}, "load": {}}
    try:
        wait_for(base + "/login/")
        opener, cookie = log_in(base)
        print(f"{args.customers} customers, {args.requests} requests per page one at a time, gunicorn "
              f"({'gunicorn.conf.py' if config.exists() else '2 workers'})")
        print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'bytes':>8} {'first ms':>9} {'queries':>8}")
        for name, path in pages.items():
            figures = one_at_a_time(opener, base, path, args.requests)
            figures["queries"] = queries[name]
            results["pages"][name] = figures
            print(f"{name:40} {figures['p50']:8.1f} {figures['p95']:8.1f} {figures['max']:8.1f} {figures['bytes']:8d} "
                  f"{figures['first']:9.1f} {figures['queries']:8d}")
        if args.load_seconds:
            if not shutil.which("wrk"):
                raise SystemExit("wrk is missing: apt-get install -y wrk (or --load-seconds 0)")
            print(f"\nunder load: wrk, {args.connections} connections, {args.load_seconds} s per page")
            print(f"{'page':40} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'errors':>7}")
            for name in LOADED:
                figures = under_load(base + pages[name], cookie, seconds=args.load_seconds,
                                     connections=args.connections)
                results["load"][name] = figures
                print(f"{name:40} {figures['rps']:8.1f} {figures['p50']:8.1f} {figures['p90']:8.1f} "
                      f"{figures['p99']:8.1f} {figures['errors']:7d}")
    finally:
        server.terminate()
        server.wait(10)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
