import factory

from hom.accounts.tests.factories import UserFactory
from hom.notifications.models import Notification, ReminderKind


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = ReminderKind.FOLLOW_UP
    title = factory.Sequence(lambda n: f"Relancer la personne n° {n}")
    url = "/migrants/"
    object_key = factory.Sequence(lambda n: f"migrants.visit:{n}")
