"""Backends that send nothing: they print (``console://``) or write files (``file:///folder``)."""
import sys
from pathlib import Path

from .base import Backend, GatewayError


def _text(message) -> str:
    body = message.body
    if message.template:
        body = f"[template {message.template} ({message.language})] {message.params}\n{message.body}"
    return f"To: {message.to}\nChannel: {message.channel}\nKey: {message.key}\n\n{body}\n"


class ConsoleBackend(Backend):
    def send(self, message) -> str:
        sys.stdout.write(f"---------- {message.channel} ----------\n{_text(message)}\n")
        sys.stdout.flush()
        return f"console-{message.pk}"


class FileBackend(Backend):
    """One file per message, ``<number>-<message id>.txt`` (a second send of one message rewrites its file)."""

    def send(self, message) -> str:
        folder = Path(self.path)
        name = f"{message.to.lstrip('+')}-{message.pk}.txt"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(_text(message), encoding="utf-8")
        except OSError as error:
            raise GatewayError(f"{type(error).__name__}: {error}") from error
        return f"file-{message.pk}"
