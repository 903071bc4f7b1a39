"""A local fake gateway: an ``http.server`` in a thread on a free port, recording every request
and answering from a script (status, JSON) — the tests read the real request shape off it."""
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Seen:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class FakeGateway:
    requests: list = field(default_factory=list)
    # (status, JSON) answers in turn; the last one repeats.
    answers: list = field(default_factory=lambda: [(200, {})])
    # path prefix -> answers, for a provider with several endpoints (Orange's token).
    routes: dict = field(default_factory=dict)
    # When set: the first request is recorded, then left unanswered until this event (a hung gateway).
    hang_first: threading.Event | None = None

    def __post_init__(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                gateway.requests.append(Seen("POST", self.path, dict(self.headers), body))
                if gateway.hang_first is not None and len(gateway.requests) == 1:
                    gateway.hang_first.wait(timeout=120)
                answers = next((a for prefix, a in gateway.routes.items() if self.path.startswith(prefix)), gateway.answers)
                status, payload = answers.pop(0) if len(answers) > 1 else answers[0]
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        if self.hang_first is not None:
            self.hang_first.set()
        self.server.shutdown()
        self.server.server_close()
