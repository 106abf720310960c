"""Initiatives, application rounds and support applications."""

from .applications import (
    ApplicationTransition,
    SupportApplication,
    SupportForm,
)
from .initiatives import Initiative, ThemedInitiative
from .rounds import ApplicationRound

__all__ = [
    "ApplicationRound",
    "ApplicationTransition",
    "Initiative",
    "SupportApplication",
    "SupportForm",
    "ThemedInitiative",
]
