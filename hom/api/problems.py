"""Errors as RFC 9457 problem details (``application/problem+json``), in the user's language.

Every error of the API has the same shape::

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "Fix the fields below.", "errors": {"last_name": ["This field is required."]}}

``errors`` (field name -> messages) is there for validation errors only. A service's
``django.core.exceptions.ValidationError`` is answered like a serializer's: 400, naming the field.
"""
from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


def _title(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return _("Error")


def problem(status_code: int, detail: str, *, errors=None, headers=None, **extra) -> Response:
    body = {"type": "about:blank", "title": _title(status_code), "status": status_code, "detail": str(detail)}
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def service_errors(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(message) for message in messages]
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": [str(message) for message in error.messages]}


def problem_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(service_errors(exc))
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling, logged
    data = response.data
    headers = {name: value for name, value in response.items() if name in {"WWW-Authenticate", "Retry-After", "Allow"}}
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        return problem(status.HTTP_400_BAD_REQUEST, _("Fix the fields named in errors."), errors=errors,
                       headers=headers)
    detail = data.get("detail", "") if isinstance(data, dict) else str(data)
    return problem(response.status_code, detail, headers=headers)
