"""`make run` on another port; a 403 logged on one line (issue 19, point 8)."""
import logging
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse


def test_a_403_is_logged_on_one_line_without_a_traceback(client, users, caplog):
    client.force_login(users["migrant"])

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("migrants:list"))

    assert response.status_code == 403
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.exc_info is None
    line = logging.Formatter().format(record)
    assert line == "Forbidden (Permission denied): /migrants/"
    assert "Traceback" not in caplog.text


def test_a_404_still_logs_as_before(client, users, caplog):
    client.force_login(users["advisor"])

    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/migrants/999999999/").status_code == 404

    assert [record.getMessage() for record in caplog.records if record.name == "django.request"] == [
        "Not Found: /migrants/999999999/"
    ]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(("arguments", "port"), [([], "8000"), (["PORT=8123"], "8123")])
def test_make_run_serves_on_port_and_says_where_the_emails_go(arguments, port):
    plan = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", *arguments],
        cwd=settings.BASE_DIR, capture_output=True, text=True, check=True, env={"PATH": "/usr/bin:/bin"},
    ).stdout

    assert f"runserver 127.0.0.1:{port}" in plan
    assert f"PORT={port} " in plan
    assert "printed in this console" in plan
