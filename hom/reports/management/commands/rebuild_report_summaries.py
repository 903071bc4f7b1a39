"""Rebuild the reports' monthly visit summaries now (after deploying, or after loading data by SQL)."""
from django.core.management.base import BaseCommand

from hom.reports.tasks import rebuild_visit_summaries


class Command(BaseCommand):
    help = (
        "Rebuild the visit summaries of the months that changed or were never built, as the nightly task does; "
        "--all: every month."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", dest="full",
            help="Rebuild every month's summaries from the visits, changed or not.",
        )

    def handle(self, *args, full=False, **options):
        months = rebuild_visit_summaries(full=full)
        self.stdout.write(f"rebuilt the visit summaries of {months} months")
