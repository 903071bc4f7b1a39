"""The demo: commune@demo.hom reads Sédhiou's report, with no count from 1 to 4, and the profile has its text."""
import re

from django.core.management import call_command
from django.urls import reverse

from hom.accounts.models import User
from hom.reports import demo
from hom.reports.models import CommuneProfile


def test_the_demo_authority_reads_sedhiou_and_the_demo_is_idempotent(client, db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    demo.seed()

    client.force_login(User.objects.get(email="commune@demo.hom"))
    html = client.get(reverse("reports:report", args=["commune", "SN1103_SEDHIOU"])).content.decode()
    other = client.get(reverse("reports:report", args=["commune", "SN1103_MARSASSOUM"]))

    figures = {cell.strip() for cell in re.findall(r"<td[^>]*data-cell[^>]*>(.*?)</td>", html, flags=re.S)}
    assert not {"1", "2", "3", "4"} & figures
    assert other.status_code == 404
    assert CommuneProfile.objects.get(commune__code="SN1103_SEDHIOU").narrative.startswith("Chef-lieu")
