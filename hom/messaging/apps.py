from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "hom.messaging"
    label = "messaging"
    verbose_name = _("SMS and WhatsApp messages")
    navigation = ()
    # What it holds about a person (migrants.personal_data), named by the senders' person_key.
    personal_data = {
        "models": ("messaging.Message",),
        "not_personal": {"messaging.OptOut": "a number that refused messages, kept so that it is never written to again"},
        "export": "hom.messaging.personal_data.export_person",
        "erase": "hom.messaging.personal_data.erase_person",
        "merge": "hom.messaging.personal_data.merge_persons",
    }
