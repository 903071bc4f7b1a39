"""Rebuild the reports' monthly visit summaries now (after deploying, or after loading data by SQL)."""
from django.core.management.base import BaseCommand

from hom.reports.tasks import rebuild_visit_summaries


class Command(BaseCommand):
    help = "Rebuild every month's visit summaries from the visits, as the nightly task does."

    def handle(self, *args, **options):
        months = rebuild_visit_summaries()
        self.stdout.write(f"rebuilt the visit summaries of {months} months")
