from .funding_admin import *  # noqa
