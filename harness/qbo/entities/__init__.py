"""QBO's entities: the write pipeline (``base``), name lists (``names``), transactions with
their totals and payments (``transactions``), company settings and tax codes (``settings``)."""

from .base import Books

__all__ = ["Books"]
