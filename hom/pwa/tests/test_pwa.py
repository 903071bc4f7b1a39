"""The installable app's manifest, service worker and offline page, as a browser and a store would check them."""
import re
import struct

from django.contrib.staticfiles import finders
from django.urls import reverse

from hom.testing.access import ROLES, assert_access_matrix

EVERYONE = {role: 200 for role in ROLES}


def _png_size(url: str) -> tuple[int, int]:
    # The manifest names the hashed copy (production's static storage); the source file is the same.
    name = re.sub(r"\.[0-9a-f]{12}(\.png)$", r"\1", url.split("/static/", 1)[1])
    path = finders.find(name)
    data = open(path, "rb").read(24)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_has_what_browsers_need_to_install_hom(client, db):
    response = client.get(reverse("pwa:manifest"))

    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] and manifest["short_name"] == "HOM"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        width, height = _png_size(icon["src"])
        assert f"{width}x{height}" == icon["sizes"]


def test_the_service_worker_is_served_from_the_root_fresh_and_under_the_csp(client, db):
    response = client.get(reverse("pwa:service_worker"))

    assert reverse("pwa:service_worker") == "/sw.js"
    assert response["Content-Type"].startswith("application/javascript")
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    assert '"offline": "/offline/"' in script
    assert "/static/js/outbox-core" in script
    # No inline script anywhere: the CSP of the pages is unchanged.
    page = client.get(reverse("home"))
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "<script>" not in page.content.decode()


def test_the_offline_page_is_the_same_for_everybody_and_names_no_one(client, users):
    assert_access_matrix(client, reverse("pwa:offline"), EVERYONE, users)
    client.force_login(users["advisor"])
    page = client.get(reverse("pwa:offline")).content.decode()

    assert users["advisor"].email not in page and users["advisor"].last_name not in page
    assert "Vous êtes hors ligne" in page
    assert reverse("migrants:walk_in_create") in page


def test_only_staff_pages_carry_the_outbox_and_the_pages_to_keep(client, users):
    client.force_login(users["advisor"])
    staff_page = client.get(reverse("migrants:walk_in_create")).content.decode()
    client.force_login(users["migrant"])
    migrant_page = client.get(reverse("migrants:me")).content.decode()

    assert 'name="hom-offline-pages"' in staff_page and 'data-testid="outbox"' in staff_page
    assert reverse("migrants:create") in staff_page.split('name="hom-offline-pages" content="')[1].split('"')[0]
    assert 'name="hom-offline-pages"' not in migrant_page and 'data-testid="outbox"' not in migrant_page
    assert 'rel="manifest"' in migrant_page
