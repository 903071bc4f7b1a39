"""How many tasks wait in each Celery queue (README, "Celery workers and queues")."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hom.celery import ALL_QUEUES, app


def queue_lengths(names) -> dict[str, int]:
    """The number of messages waiting in each queue of ``names`` (not those a worker holds), from the broker."""
    lengths = {}
    with app.connection_for_read() as connection:
        channel = connection.default_channel
        for name in names:
            # Not passive: an empty queue has no key in Redis, and declaring one writes nothing there.
            lengths[name] = channel.queue_declare(queue=name).message_count
    return lengths


class Command(BaseCommand):
    help = "Print how many tasks wait in each Celery queue (every HOM queue, or the ones named)."

    def add_arguments(self, parser):
        parser.add_argument(
            "queues",
            nargs="*",
            default=list(ALL_QUEUES),
            help="Queues to count, e.g. 'celery' (the single queue of the versions before the split).",
        )

    def handle(self, *args, queues, **options):
        if not settings.REDIS_URL:
            self.stdout.write("no broker (REDIS_URL is empty): tasks run at once, in the process that sends them")
            return
        try:
            lengths = queue_lengths(queues)
        except Exception as error:  # noqa: BLE001 - whatever the broker says, the operator reads it
            raise CommandError(f"the broker did not answer: {type(error).__name__}: {error}") from error
        for name, length in lengths.items():
            self.stdout.write(f"{name:<10} {length}")
