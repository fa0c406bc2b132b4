"""The pages as a person uses them: a browser each, a form sent back as shown, the card's History read."""

from django.test import Client
from django.urls import reverse


def form_as_shown(response, **changes) -> dict:
    """The data of the page's form (its hidden fields too), with `changes` typed over it."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def client_for(user):
    """A browser of its own for `user`: the shared personas' clients are one browser."""
    client = Client()
    client.force_login(user)
    return client


def card(client, customer) -> str:
    return client.get(reverse("customers:detail", args=[customer.pk])).content.decode()


def history_html(html: str) -> str:
    """The card's History section."""
    start = html.index('id="history-h"')
    return html[start:html.index("</section>", start)]
