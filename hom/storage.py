"""Where uploaded documents are kept: the server's disk (``MEDIA_ROOT``) or S3-compatible object storage.

Settings (hom/settings.py, docs/deployment.md "Documents on object storage"): without
``AWS_STORAGE_BUCKET_NAME`` the default storage is Django's ``FileSystemStorage`` under ``MEDIA_ROOT``;
with it, ``hom.s3.PrivateS3Storage`` on that bucket. Either way a document is only ever read through
a view that checks who asks (``document.file.open()``), never linked to: no page hands out the
bucket's address. Code reads and deletes files through the storage API only (no ``.path``).
"""

import logging

from django.conf import settings
from django.core import checks
from django.core.files.storage import storages

logger = logging.getLogger(__name__)


def delete_stored(names, *, storage=None) -> list[str]:
    """Delete ``names`` from ``storage`` (the default one), each on its own; returns the names whose
    deletion failed, each logged (a storage down must not stop the others, nor what follows)."""
    storage = storage or storages["default"]
    failed = []
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 - a disk or a bucket refusing: logged, given back for a retry
            logger.exception("Storage: %s not deleted", name)
            failed.append(name)
    return failed


@checks.register(checks.Tags.security, deploy=True)
def check_object_storage(app_configs=None, **kwargs):
    """``check --deploy``: documents must not travel to the bucket in clear."""
    options = settings.STORAGES["default"].get("OPTIONS", {})
    endpoint = options.get("endpoint_url") or ""
    if "bucket_name" in options and endpoint.startswith("http://"):
        return [
            checks.Warning(
                "AWS_S3_ENDPOINT_URL starts with http://: documents would travel to the bucket unencrypted.",
                hint="Use the store's https:// address.",
                id="hom.W010",
            )
        ]
    return []
