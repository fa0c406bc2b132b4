"""{% id_url %} gives what {% url %} gives, reversing each URL name once per page render (issue 16)."""

from unittest import mock

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

import core.templatetags.fast_urls as fast_urls


def _render(source: str, **context) -> str:
    return Template("{% load fast_urls %}" + source).render(Context(context))


@pytest.mark.parametrize("pk", [1, 7, 42, 918273645, 10**12])
def test_it_gives_the_same_url_as_the_url_tag(pk):
    assert _render("{% id_url 'customers:detail' pk %}", pk=pk) == reverse("customers:detail", args=[pk])
    assert _render("{% id_url 'followups:try_again' pk %}", pk=pk) == reverse("followups:try_again", args=[pk])


def test_it_reverses_each_name_once_per_render():
    source = "{% for pk in pks %}{% id_url 'customers:detail' pk %} {% id_url 'customers:edit' pk %} {% endfor %}"
    with mock.patch.object(fast_urls, "reverse", wraps=reverse) as spy:
        html = _render(source, pks=[3, 4, 5])

    assert html.split() == [reverse(name, args=[pk]) for pk in (3, 4, 5) for name in ("customers:detail", "customers:edit")]
    assert spy.call_count == 2


def test_a_value_that_is_not_a_whole_number_is_reversed_as_the_url_tag_does():
    assert _render("{% id_url 'customers:detail' pk %}", pk="12") == reverse("customers:detail", args=["12"])
    with pytest.raises(NoReverseMatch):
        _render("{% id_url 'customers:detail' pk %}", pk=None)
