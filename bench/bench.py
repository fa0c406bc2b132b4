"""Page-speed benchmark: seeded data, real HTTP, a real WSGI server (gunicorn).

    .venv/bin/python bench/bench.py --customers 100000 --requests 30

Uses its own SQLite file (var/bench.sqlite3) unless DATABASE_URL is set. Seeds once with
`seed_demo --customers N` and reuses the data on later runs. Prints p50/p95/max per page.
Timings live here, never in unit tests.
"""

import argparse
import http.cookiejar
import os
import re
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer at {url}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=20, help="requests per page")
    args = parser.parse_args()

    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "servicecrm.settings.dev")
    env["DJANGO_DEBUG"] = "false"
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    (ROOT / "var").mkdir(exist_ok=True)

    manage(env, "migrate", "-v0")
    env_user = dict(env, DJANGO_SUPERUSER_USERNAME="bench", DJANGO_SUPERUSER_PASSWORD="bench-pass-123",
                    DJANGO_SUPERUSER_EMAIL="bench@example.com")
    manage(env_user, "ensure_owner")
    manage(env, "seed_demo", "--customers", str(args.customers), "--if-empty")
    # The bench user must exist even if another owner was created first.
    manage(env, "shell", "-c", (
        "from accounts.services import owner_create;"
        "owner_create(username='bench', password='bench-pass-123', email='bench@example.com')"
    ))

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "servicecrm.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        wait_for(base + "/login/")
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": "bench", "password": "bench-pass-123",
                                       "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(base + "/login/", data=data, headers={"Referer": base + "/login/"})
        opener.open(request).read()

        listing = opener.open(base + "/customers/").read().decode()
        card = re.search(r'href="(/customers/\d+/)"', listing).group(1)
        pages = {
            "today": "/",
            "customer list": "/customers/",
            "customer list, last page": "/customers/?page=last",
            "search 4 phone digits": "/customers/?q=5550",
            "search a name": "/customers/?q=smith",
            "customer card": card,
            "log form": card + "log/",
            "insights, last 90 days": "/insights/",
            "insights, last 365 days": "/insights/?period=365",
            "at risk": "/insights/at-risk/",
        }
        print(f"{args.customers} customers, {args.requests} requests per page, gunicorn 2 workers")
        print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'bytes':>8} {'first ms':>9}")
        for name, path in pages.items():
            timings, size = [], 0
            start = time.perf_counter()
            opener.open(base + path).read()  # warm-up (for Insights: the figures are computed and kept)
            first = (time.perf_counter() - start) * 1000
            for _ in range(args.requests):
                start = time.perf_counter()
                body = opener.open(base + path).read()
                timings.append((time.perf_counter() - start) * 1000)
                size = len(body)
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
            print(f"{name:32} {statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f} {size:8d} {first:9.1f}")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
