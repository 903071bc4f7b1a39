"""An email backend for tests: the local-memory outbox, except for addresses told to fail."""
from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    # address -> how many sends still fail
    failures: dict[str, int] = {}

    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if self.failures.get(address, 0) > 0:
                    self.failures[address] -= 1
                    raise SMTPServerDisconnected(f"connection lost while sending to {address}")
        return super().send_messages(messages)
