"""The awards admin, one module per stage; importing them registers every model admin."""

from awards.admin import catalogue, certificates, council, nominations, record

__all__ = ["catalogue", "certificates", "council", "nominations", "record"]
