"""Start-up checks of the sign-in settings."""

from accounts.checks import check_session_settings


def error_ids():
    return [error.id for error in check_session_settings(None)]


def test_the_shipped_settings_pass():
    assert error_ids() == []


def test_an_idle_timeout_of_zero_is_refused(settings):
    settings.SESSION_IDLE_TIMEOUT = 0

    assert error_ids() == ["accounts.E001"]


def test_an_idle_timeout_longer_than_a_kept_session_is_refused(settings):
    settings.SESSION_COOKIE_AGE = 3600
    settings.SESSION_IDLE_TIMEOUT = 7200

    assert error_ids() == ["accounts.E002"]


def test_a_reset_rate_that_is_no_rate_is_refused(settings):
    settings.PASSWORD_RESET_RATE_LIMIT = "five an hour"

    assert error_ids() == ["accounts.E003"]


def test_rates_in_django_ratelimits_forms_pass(settings):
    for rate in ("5/h", "100/10m", "1/d", "3/s"):
        settings.PASSWORD_RESET_RATE_LIMIT = rate
        assert error_ids() == []
