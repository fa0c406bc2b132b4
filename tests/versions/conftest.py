"""Two people (or two tabs) editing one row: each opens the form, one saves, then the other."""

import html
import re

import pytest
from django.test import Client
from django.utils.html import strip_tags

VERSION_INPUT = re.compile(r'<input type="hidden" name="version" value="([^"]*)"')


def version_in(response) -> str:
    """The version the page's form carries, as the browser would send it back."""
    found = VERSION_INPUT.findall(response.content.decode())
    assert len(found) == 1, "the form carries its version once"
    return found[0]


def text_of(response) -> str:
    """The page as a person reads it: no tags, entities decoded, every run of white space one space."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def html_of(response) -> str:
    """The page's markup, entities decoded: for what a field holds."""
    return html.unescape(response.content.decode())


@pytest.fixture
def client_for():
    """A signed-in browser of its own for `user`."""
    def make(user):
        browser = Client()
        browser.force_login(user)
        return browser
    return make
