import importlib
from contextlib import ExitStack

from django.apps import apps
from django.core.management.base import BaseCommand

from hom.accounts.demo import ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create the demo offices, accounts and records (idempotent). Never run it in production."

    def handle(self, *args, **options):
        modules = self._demo_modules()
        with ExitStack() as stack:
            # An app's demo may declare a context for bulk writes (the reports: each month's
            # summaries rebuilt once at the end instead of once per visit), around the whole seeding.
            for module in modules:
                if hasattr(module, "bulk_writes"):
                    stack.enter_context(module.bulk_writes())
            for module in modules:
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Accounts (password: %s):" % DEMO_PASSWORD))
        for email, role, office_code, *_ in ACCOUNTS:
            self.stdout.write(f"  {email:<28} {role.label}{f' ({office_code})' if office_code else ''}")

    @staticmethod
    def _demo_modules() -> list:
        modules = []
        for config in apps.get_app_configs():
            try:
                modules.append(importlib.import_module(f"{config.name}.demo"))
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
        return modules
