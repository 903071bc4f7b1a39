"""Error pages leak nothing and reach the user in their language."""
import pytest
from django.test import Client
from django.urls import path

from hom import urls as root_urls


def _boom(request):
    raise RuntimeError("secret detail: DATABASE password=hunter2")


urlpatterns = root_urls.urlpatterns + [path("boom/", _boom)]


def test_unknown_page_gives_the_translated_404_page(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.urls("hom.tests.test_errors")
def test_a_crash_gives_the_500_page_without_details(db):
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    text = response.content.decode()
    assert "hunter2" not in text
    assert "Traceback" not in text
    assert "Une erreur" in text
