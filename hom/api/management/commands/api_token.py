"""``manage.py api_token EMAIL [--name NAME]``: create a token for scripts and deployment; the key is the last line."""
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hom.api.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for the user with this email; prints the token on the last line."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="manage.py api_token")

    def handle(self, *args, email, name, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user has the email {email}.")
        try:
            token, key = api_token_create(user=user, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Token “{token.name}” created for {user.email}. It will not be shown again:")
        self.stdout.write(key)
