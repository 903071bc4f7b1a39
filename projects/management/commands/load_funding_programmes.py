from django.core.management.base import BaseCommand

from projects.funding.services import funding_opportunity_refresh, programmes_load


class Command(BaseCommand):
    help = "Load (or refresh) the real funding programmes of projects/funding/data/. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh-only",
            action="store_true",
            help="Only recompute FCFA equivalents and search columns of every opportunity (after changing EUR_TO_XOF).",
        )

    def handle(self, *args, refresh_only=False, **options):
        if refresh_only:
            count = funding_opportunity_refresh()
            self.stdout.write(self.style.SUCCESS(f"{count} funding opportunities refreshed."))
            return
        count = programmes_load()
        self.stdout.write(self.style.SUCCESS(f"{count} funding programmes loaded."))
