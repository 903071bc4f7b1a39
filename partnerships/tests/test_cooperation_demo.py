"""The demo's cooperation: the commune of Sédhiou introduced to a diaspora association (accepted) and,
at its authority's request, to a foreign local authority; one request still waiting."""
from django.urls import reverse

from hom.accounts import demo as accounts_demo
from hom.accounts.models import User
from partnerships import demo
from partnerships.cooperation.demo import WAITING_REQUEST
from partnerships.cooperation.models import CooperationIntroduction, CooperationRequest, CooperationStatus
from partnerships.models import OrganisationKind


def test_the_demo_seeds_sedhiou_cooperation_once(db, client):
    accounts_demo.seed()
    demo.seed()
    demo.seed()

    introductions = CooperationIntroduction.objects.filter(commune__code="SN1103_SEDHIOU", office__code="SED")
    assert introductions.count() == 2
    association = introductions.get(organisation__kind=OrganisationKind.HOMETOWN_ASSOCIATION)
    assert association.status == CooperationStatus.ACCEPTED
    foreign = introductions.get(organisation__kind=OrganisationKind.FOREIGN_LOCAL_AUTHORITY)
    assert foreign.organisation.country == "ES" and foreign.request.requested_by.email == "commune@demo.hom"
    assert CooperationRequest.objects.open().get().looking_for == WAITING_REQUEST
    client.force_login(User.objects.get(email="commune@demo.hom"))
    page = client.get(reverse("partnerships:cooperation_list")).text
    assert "Associació Amic de Sedhiou" in page and WAITING_REQUEST in page
