from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "hom.messaging"
    label = "messaging"
    verbose_name = _("SMS and WhatsApp messages")
    navigation = ()
