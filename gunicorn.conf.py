"""gunicorn's settings for ServiceCRM: `gunicorn -c gunicorn.conf.py servicecrm.wsgi`.

Chosen by measurement on the 2-core machine with PostgreSQL on the same box (README, "Deployment"). Each value can be
changed from the command line (`--workers 4`) or, for the worker count, with WEB_CONCURRENCY.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Measured with wrk (20 connections, the pool on) on 2 cores shared with PostgreSQL and other work: 2, 3 or 4 sync
# workers and 2 or 3 gthread workers were within the noise of one another (the customer list 70-120 requests/s);
# 3 workers of 4 threads was never far from the best, and a 26 s export holds one thread, not a whole worker.
# Keep threads equal to DATABASE_POOL_MAX_SIZE (settings: 4): one pooled connection per thread, none waited for.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = 4

# An Excel export of 100,000 customers is built whole before it is sent (about 26 s here, more on a busy machine);
# CSV exports and backups stream and start at once.
timeout = 120
# On a restart or deploy, a request already running (an export) gets this long to finish.
graceful_timeout = 60
# A worker is replaced after this many requests (spread by the jitter so that they do not all restart at once):
# memory a library keeps growing is given back.
max_requests = 2000
max_requests_jitter = 200
