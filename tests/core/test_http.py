"""core.http.safe_next_url: only a local path of one of our own pages, never the logout page."""

import pytest
from django.test import RequestFactory

from core.http import safe_next_url

DEFAULT = "/default/"


def _next_from_query(value: str, **extra) -> str:
    return safe_next_url(RequestFactory().get("/", {"next": value}, **extra), DEFAULT)


@pytest.mark.parametrize(
    "value",
    [
        "logout",                # a URL name, not a path
        "/logout/",              # our page, but going back to it would sign the user out
        "foo",                   # text that is no path
        "//evil.com",            # another site, scheme-relative
        "https://evil.com/",     # another site
        "https://testserver/customers/1/",  # even our own host: a path is enough, an absolute URL is not taken
        "/\\evil",               # read as //evil by some browsers
        "/\\\\evil.com",
        "/nowhere/",             # a local path, but no page of ours
        "/customers/1/" + "a" * 3_000,
        "/customers/" + "1" * 3_000 + "/",  # very long
        "/customers/1/\x00",     # NUL
        "\x00/customers/1/",
        " /customers/1/",
        "javascript:alert(1)",
        "",
    ],
)
def test_it_refuses_anything_but_a_local_path_of_our_own_pages(value):
    assert _next_from_query(value) == DEFAULT


@pytest.mark.parametrize("value", ["/customers/1/", "/customers/1/?q=ann#feedback", "/", "/plans/"])
def test_it_takes_a_local_path_of_one_of_our_pages(value):
    assert _next_from_query(value) == value


def test_it_reads_the_form_before_the_query_string():
    request = RequestFactory().post("/?next=/plans/", {"next": "/customers/"})

    assert safe_next_url(request, DEFAULT) == "/customers/"


def test_a_missing_next_gives_the_default():
    assert safe_next_url(RequestFactory().get("/"), DEFAULT) == DEFAULT


def test_the_default_default_is_empty():
    assert safe_next_url(RequestFactory().get("/", {"next": "logout"})) == ""
