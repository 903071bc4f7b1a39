"""Documents on S3-compatible object storage: the storage class that ``AWS_STORAGE_BUCKET_NAME`` switches on.

Its own module, imported only when the settings name it: boto3 takes about a second to import,
which a deployment keeping its documents on disk does not pay. See ``hom/storage.py``.
"""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """django-storages' S3 storage, private: objects are written with the ``private`` ACL, a name
    already taken gets a suffix instead of replacing the object, and ``url()`` gives no address
    of the bucket (no signed link either): the same dead ``MEDIA_URL`` path as on disk, which
    nothing serves. The admin's file links (its read-only and "currently" fields) call it."""

    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "signature_version": "s3v4",
            # A download is read into memory up to this size, then into a temporary file.
            "max_memory_size": settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        }

    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"{settings.MEDIA_URL}{filepath_to_uri(name)}"
