"""Send today's reminder digests where there is no beat: the same service as the daily task."""
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from hom.accounts.models import Office
from hom.notifications import services


class Command(BaseCommand):
    help = "Send each person's reminder digest of the day (once per day); --dry-run prints it instead."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent, write nothing.")
        parser.add_argument("--office", metavar="CODE", help="Only the items of this office (e.g. SED).")
        parser.add_argument("--day", metavar="YYYY-MM-DD", help="The day of the digest (default: today).")

    def handle(self, *args, dry_run=False, office=None, day=None, **options):
        try:
            day = date.fromisoformat(day) if day else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--day: {error}") from error
        office_obj = None
        if office:
            office_obj = Office.objects.filter(code__iexact=office).first()
            if office_obj is None:
                raise CommandError(f"No office with the code {office!r}.")
        recipients = services.recipients_due(day=day, office=office_obj)
        if dry_run:
            self._preview(recipients, day)
            return
        sent = failed = skipped = 0
        for recipient in recipients:
            try:
                digest = services.digest_send(recipient=recipient, day=day)
            except services.DigestEmailFailed as error:
                failed += 1
                self.stderr.write(f"{recipient.email}: {error}")
                continue
            if digest is None:
                skipped += 1
            else:
                sent += 1
        self.stdout.write(f"{day:%d/%m/%Y}: {sent} digests, {skipped} already done, {failed} failed.")

    def _preview(self, recipients, day):
        with translation.override("en"):
            self.stdout.write(f"Dry run for {day:%d/%m/%Y}: {len(recipients)} recipients, nothing written.")
        for recipient in recipients:
            lines = services.digest_preview(recipient=recipient, day=day)
            name = recipient.get_full_name() or recipient.email
            self.stdout.write(f"\n{name} <{recipient.email}> · {recipient.get_role_display()}: {len(lines)}")
            for line in lines:
                marker = "NEW" if line.is_new else "   "
                self.stdout.write(f"  {marker} {line.item.kind:<18} {line.item.shown_on:%d/%m/%Y}  {line.title}  {line.url}")
