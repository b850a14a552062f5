from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from units.roles import roles_of


def roles(request: HttpRequest) -> dict:
    return {"roles": SimpleLazyObject(lambda: roles_of(request.user))}
