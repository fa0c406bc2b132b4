#!/usr/bin/env bash
# `make run`: prepare the database, make sure there is an owner, load demo data into an empty database,
# then start the web server, a Celery worker and beat with honcho. Never prompts (safe without a terminal).
# Ctrl-C reaches honcho, which stops every process it started.
set -euo pipefail
cd "$(dirname "$0")/.."

export PORT="${PORT:-8000}"
# Links in emails and the login URL printed below follow PORT unless SITE_URL is set (here or in .env).
if [ -z "${SITE_URL:-}" ] && ! grep -qs '^SITE_URL=' .env; then
  export SITE_URL="http://127.0.0.1:${PORT}"
fi
export PATH="$PWD/.venv/bin:$PATH"
export PYTHONUNBUFFERED=1
DEMO_DATA="${DEMO_DATA:-1}"

# The embedded broker (kombu's filesystem transport) and beat's schedule live under var/.
mkdir -p var/broker/queue var/broker/processed

python manage.py migrate --no-input
# Both commands print generated passwords once; they are repeated just before the servers' output starts.
accounts="$(python manage.py ensure_owner)"
echo "$accounts"
if [ "$DEMO_DATA" != "0" ]; then
  demo="$(python manage.py seed_demo --if-empty)"
  echo "$demo"
  accounts+=$'\n'"$demo"
fi

echo
echo "ServiceCRM is starting at http://127.0.0.1:${PORT}/login/  (Ctrl-C stops the web server, the worker and beat)"
grep -E "Username:|Password:" <<<"$accounts" || true
echo

exec honcho start --port "$PORT" --procfile Procfile
