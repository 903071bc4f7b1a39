from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hom.accounts"
    label = "accounts"
    verbose_name = _("Accounts and offices")
    # The account's history names the person (migrants.personal_data): erasure blanks it.
    personal_data = {"erase": "hom.accounts.personal_data.erase_person"}

    def ready(self):
        from hom import storage  # noqa: F401  (registers the object storage's deploy check)

        from . import mfa  # noqa: F401  (connects the sign-in signal that remembers the second factor)
