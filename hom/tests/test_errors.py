"""Error pages leak nothing and reach the user in their language."""
import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from hom import urls as root_urls
from hom.accounts.access import role_required
from hom.accounts.models import Role


def _boom(request):
    raise RuntimeError("secret detail: DATABASE password=hunter2")


@role_required(Role.ADMIN)
def _admins_only(request):
    return HttpResponse("secret admin page")


urlpatterns = root_urls.urlpatterns + [path("boom/", _boom), path("admins-only/", _admins_only)]


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


@pytest.mark.urls("hom.tests.test_errors")
def test_a_role_check_gives_the_translated_403_page(client, users):
    client.force_login(users["advisor"])

    response = client.get("/admins-only/")

    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    assert "secret admin page" not in response.content.decode()


@pytest.mark.urls("hom.tests.test_errors")
def test_a_role_check_sends_anonymous_visitors_to_login(client, db):
    response = client.get("/admins-only/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
