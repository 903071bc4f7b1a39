"""Writes on accounts and offices. Views, the admin, seed_demo and tests all come here."""
from django.db import transaction

from hom.territories.models import Commune, Region

from .models import Office, Role, User


@transaction.atomic
def office_create_or_update(*, code: str, name: str, region: Region) -> Office:
    office = Office.objects.filter(code=code).first() or Office(code=code)
    office.name, office.region = name, region
    office.full_clean()
    office.save()
    return office


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    role: str,
    office: Office | None = None,
    first_name: str = "",
    last_name: str = "",
    communes: list[Commune] | tuple = (),
) -> User:
    """Create an active user. Office admins get the Django admin for reference data."""
    user = User(
        email=User.objects.normalize_email(email).lower(),
        role=role,
        office=office,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if communes:
        user.communes.set(communes)
    return user
