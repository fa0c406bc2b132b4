import html
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_from_the_root_for_anyone(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert "max-age" not in response["Cache-Control"]


def service_worker_config(client) -> dict:
    body = client.get("/sw.js").content.decode()
    return json.loads(body.split("\n", 1)[0].removeprefix("self.SW_CONFIG = ").removesuffix(";"))


def page_config(client, url) -> dict:
    page = client.get(url).content.decode()
    match = re.search(r'<script id="offline-config" type="application/json">(.*?)</script>', page)
    return json.loads(html.unescape(match.group(1)))


def test_the_service_worker_knows_the_shell_and_the_pages_it_needs(client):
    body = client.get("/sw.js").content.decode()

    config = service_worker_config(client)
    assert config["offlinePage"] == "/offline/"
    assert config["loginPage"] == "/login/"
    assert "/static/css/mobile.css" in config["shell"]
    assert "/offline/" in config["shell"]
    assert len(config["version"]) == 12
    assert 'addEventListener("fetch"' in body


def test_the_manifest_makes_the_site_installable(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}


def test_the_manifest_icons_are_png_files_of_the_right_size(client):
    manifest = client.get("/manifest.webmanifest").json()

    for icon in manifest["icons"]:
        content = Path(finders.find(icon["src"].removeprefix(settings.STATIC_URL))).read_bytes()
        width, height = int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
        assert content[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"{width}x{height}" == icon["sizes"]


def test_every_page_links_the_manifest_and_the_offline_script(worker_client):
    html = worker_client.get(reverse("today")).content.decode()

    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert 'id="offline-script"' in html
    assert "css/mobile.css" in html


def test_the_offline_page_says_what_is_available_without_naming_the_user(worker_client, worker):
    response = worker_client.get("/offline/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "What needs a connection" in html
    assert "Customers saved on this phone" in html
    assert worker.first_name not in html
    assert 'data-user=""' in html


def test_the_offline_page_needs_no_login(client):
    assert client.get("/offline/").status_code == 200


def test_the_page_script_gets_the_same_paths_as_the_service_worker(worker_client):
    page = page_config(worker_client, reverse("today"))
    worker = service_worker_config(worker_client)

    assert page == {key: value for key, value in worker.items() if key not in {"shell", "version"}}
    assert page["sync"] == "/offline/sync/interaction/"
    assert page["logoutPage"] == "/logout/"
    assert page_config(worker_client, "/offline/") == page


def test_the_shared_paths_come_from_the_url_configuration(client):
    config = service_worker_config(client)

    assert config["card"].replace(config["idPlaceholder"], "12") == "/customers/12/"
    assert config["logForm"].replace(config["idPlaceholder"], "12") == "/customers/12/log/"
    assert config["savedCustomer"].replace(config["idPlaceholder"], "12") == "/offline/customers/12/"
    assert re.match(config["cardPattern"], "/customers/12/").group(1) == "12"
    assert re.match(config["logFormPattern"], "/customers/12/log/").group(1) == "12"
    assert re.match(config["cardPattern"], "/customers/12/log/") is None
    assert re.match(config["cardPattern"], "/customers/new/") is None


def static_source(path: str) -> str:
    return Path(finders.find(path)).read_text(encoding="utf-8")


def test_both_scripts_get_the_queues_name_from_the_shared_configuration(worker_client):
    page = page_config(worker_client, reverse("today"))
    worker = service_worker_config(worker_client)

    assert page["queueDatabase"] == worker["queueDatabase"] == "servicecrm-offline"
    for script in ("offline/offline.js", "offline/service-worker.js"):
        assert "servicecrm-offline" not in static_source(script)
    assert "config.queueDatabase" in static_source("offline/offline.js")
    assert "CONFIG.queueDatabase" in static_source("offline/service-worker.js")


def test_the_page_script_knows_what_each_wipe_means(client):
    assert service_worker_config(client)["wipe"] == {"all": "all", "pages": "pages"}


def test_a_page_for_nobody_says_what_the_phone_drops_and_a_signed_in_page_does_not(worker_client):
    anonymous = Client().get(reverse("login")).content.decode()
    signed_in = worker_client.get(reverse("today")).content.decode()

    assert 'data-offline-wipe="all"' in anonymous
    assert 'data-offline-wipe=""' in signed_in
