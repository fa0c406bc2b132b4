from tests.services import celery_workers, redis_broker, smtp_server, worker_env  # noqa: F401
