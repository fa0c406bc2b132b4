from django import template
from django.utils.html import json_script

from offline.client_config import shared_config

register = template.Library()


@register.simple_tag
def offline_config():
    """The paths offline.js shares with the service worker, as a JSON element it reads (CSP allows no inline script)."""
    return json_script(shared_config(), "offline-config")
