"""The Accounting API's state and rules, one module per collection (as moto splits AWS)."""

from .books import Books  # noqa: F401
