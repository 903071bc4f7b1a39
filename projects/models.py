"""Models of the projects app; they arrive with their issue."""
from .funding_models import *  # noqa
