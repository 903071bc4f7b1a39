import importlib

from django.apps import apps
from django.core.management.base import BaseCommand

from hom.accounts.demo import ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create the demo offices, accounts and records (idempotent). Never run it in production."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Accounts (password: %s):" % DEMO_PASSWORD))
        for email, role, office_code, *_ in ACCOUNTS:
            self.stdout.write(f"  {email:<28} {role.label}{f' ({office_code})' if office_code else ''}")
