from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .checks import FAIL, run_checks


@never_cache
@require_safe
def healthz(request):
    """For an uptime monitor, without login: 200 when every check is ok, 503 when one fails.

    {"status": "ok" | "fail", "checks": {"database", "broker", "beat", "mail"}}, each check with its own
    "status" and a few facts (health.checks). The beat check is "unknown" (not a failure) on a fresh install
    whose beat has not ticked yet, for the first 15 minutes after core's first migration: a new install is
    not "down" before its first scheduled run could have happened; after that, no tick is a failure.
    """
    checks = run_checks(timezone.now())
    failed = any(check["status"] == FAIL for check in checks.values())
    return JsonResponse({"status": FAIL if failed else "ok", "checks": checks}, status=503 if failed else 200)
