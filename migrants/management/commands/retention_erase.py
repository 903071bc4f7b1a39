"""Erase the persons the retention rule selects, or with --dry-run list them (the nightly task does the same)."""
from django.core.management.base import BaseCommand

from migrants import selectors, services


class Command(BaseCommand):
    help = "Erase the persons with no contact for RETENTION_NO_CONTACT_DAYS and nothing an app still needs."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be erased; erase nobody.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            due = selectors.retention_due().select_related("office")
            for migrant in due:
                self.stdout.write(f"{migrant.file_number}\t{migrant.office.code}\t{migrant.created_at:%Y-%m-%d}")
            self.stdout.write(f"{len(due)} to erase (dry run: nothing erased)")
            return
        result = services.retention_erase()
        self.stdout.write(f"{len(result['erased'])} erased, {len(result['failed'])} failed")
        if result["failed"]:
            raise SystemExit(1)
