"""What the accounts hold about a person (registry: ``migrants.personal_data``).

The history of a migrant's account keeps their name and address: erasure blanks it, and the
account's second-factor devices go.
"""
from django.db import transaction


@transaction.atomic
def erase_person(*, migrant, account) -> None:
    if account is None:
        return
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import User

    User.history.model.objects.filter(id=account.pk).update(
        first_name="", last_name="", email=f"erased-{account.pk}@invalid.hom", phone=None
    )
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
