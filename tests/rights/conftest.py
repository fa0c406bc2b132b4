from tests.versions.conftest import client_for  # noqa: F401  (a signed-in browser per user, shared)
