"""Start-up checks of the reminder settings."""

from reminders.checks import check_reminder_settings


def error_ids():
    return [error.id for error in check_reminder_settings(None)]


def test_the_shipped_settings_pass():
    assert error_ids() == []


def test_a_pause_of_zero_is_refused(settings):
    settings.REMINDERS_RETRY_BACKOFF_MAX_SECONDS = 0

    assert "reminders.E001" in error_ids()


def test_a_longest_pause_shorter_than_the_first_is_refused(settings):
    settings.REMINDERS_RETRY_BACKOFF_SECONDS = 600
    settings.REMINDERS_RETRY_BACKOFF_MAX_SECONDS = 60

    assert error_ids() == ["reminders.E003"]
