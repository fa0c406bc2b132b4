"""Customer export benchmark: every customer as CSV and as .xlsx; seconds, first byte and peak memory.

    .venv/bin/python bench/export_bench.py                  # in-process: the view alone, no web server
    .venv/bin/python bench/export_bench.py --http           # over real HTTP, gunicorn with one worker
    .venv/bin/python bench/export_bench.py --customers 100000 --exports "q=lane" "status=active"

In-process, each export runs in a fresh Python process that signs in with Django's test client, calls the view,
reads the streaming response chunk by chunk (as a server would send it) and reports its own peak memory
(ru_maxrss): a figure without gunicorn in it. Over HTTP, the peak is the gunicorn worker's (VmHWM).

Uses DATABASE_URL when set, else its own SQLite file (var/export-bench.sqlite3), seeded once with
`seed_demo --customers N` as bench/bench.py does. The issue's budget: under 30 s and under 300 MB for 100,000.
Timings live here, never in unit tests.
"""

import argparse
import http.cookiejar
import json
import os
import re
import resource
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
USERNAME, PASSWORD = "bench", "bench-pass-123"
CHUNK = 64 * 1024


def environment() -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "servicecrm.settings.dev")
    env["DJANGO_DEBUG"] = "false"  # with DEBUG on, Django keeps every query in memory
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'export-bench.sqlite3'}")
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env, customers: int):
    (ROOT / "var").mkdir(exist_ok=True)
    manage(env, "migrate", "-v0")
    manage(env, "seed_demo", "--customers", str(customers), "--if-empty")
    manage(env, "shell", "-c", (
        "from accounts.models import User; from accounts.services import owner_create;"
        f"User.objects.filter(username='{USERNAME}').exists() or "
        f"owner_create(username='{USERNAME}', password='{PASSWORD}', email='bench@example.com')"
    ))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def cpu_seconds() -> float:
    """This process's own CPU time: on a busy machine a truer figure than the wall clock (not the database's)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_one_in_process(url: str) -> dict:
    """Runs in its own process (see --one): one export through the view, the response read as a server would."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.test import Client

    from accounts.models import User
    from customers.models import Customer

    customers = Customer.objects.count()
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=USERNAME))
    before, cpu = peak_mb(), cpu_seconds()
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    first_byte, size = None, 0
    for chunk in response.streaming_content:
        if first_byte is None:
            first_byte = time.perf_counter() - started
        size += len(chunk)
    response.close()
    return {"url": url, "customers": customers, "seconds": time.perf_counter() - started,
            "first_byte": first_byte, "bytes": size, "cpu": cpu_seconds() - cpu, "peak_mb": peak_mb(),
            "peak_mb_before": before}


def in_process(env, urls: list[str]) -> list[dict]:
    results = []
    for url in urls:
        out = subprocess.run([PYTHON, __file__, "--one", url], cwd=ROOT, env=env, check=True, capture_output=True,
                             text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _worker_pid(master: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.2)
    raise SystemExit("gunicorn started no worker")


def _peak_of(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def over_http(env, urls: list[str]) -> list[dict]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "servicecrm.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "300",
         "--log-level", "warning"], cwd=ROOT, env=env,
    )
    results = []
    try:
        worker = _worker_pid(server.pid)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        deadline = time.monotonic() + 30
        while True:
            try:
                page = opener.open(base + "/login/").read().decode()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": USERNAME, "password": PASSWORD,
                                       "csrfmiddlewaretoken": token}).encode()
        opener.open(urllib.request.Request(base + "/login/", data=data, headers={"Referer": base + "/login/"})).read()
        for url in urls:
            started = time.perf_counter()
            first_byte, size = None, 0
            with opener.open(base + url) as answer:
                while chunk := answer.read(CHUNK):
                    first_byte = first_byte or time.perf_counter() - started
                    size += len(chunk)
            results.append({"url": url, "seconds": time.perf_counter() - started, "first_byte": first_byte,
                            "bytes": size, "cpu": None, "peak_mb": _peak_of(worker)})
    finally:
        server.terminate()
        server.wait(10)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000, help="customers to seed into an empty database")
    parser.add_argument("--http", action="store_true", help="over HTTP through gunicorn instead of in-process")
    parser.add_argument("--exports", nargs="*", default=[""], help="query strings of the customer list, e.g. q=lane")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one_in_process(args.one)))
        return

    env = environment()
    prepare(env, args.customers)
    urls = [f"/exports/customers.{kind}" + (f"?{query}" if query else "") for query in args.exports
            for kind in ("csv", "xlsx")]
    results = over_http(env, urls) if args.http else in_process(env, urls)
    how = "over HTTP, gunicorn 1 worker (peak: the worker's VmHWM)" if args.http else "in-process (peak: ru_maxrss)"
    print(f"customer export, {how}")
    print(f"{'export':40} {'seconds':>8} {'CPU s':>6} {'first byte s':>12} {'MB':>6} {'peak MB':>8}")
    for result in results:
        first = f"{result['first_byte']:.3f}" if result["first_byte"] is not None else "-"
        cpu = f"{result['cpu']:.1f}" if result["cpu"] is not None else "-"
        print(f"{result['url']:40} {result['seconds']:8.1f} {cpu:>6} {first:>12} {result['bytes'] / 2**20:6.1f} "
              f"{result['peak_mb']:8.0f}")


if __name__ == "__main__":
    main()
