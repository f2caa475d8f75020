"""Fields the catalogue API shares between its serializers and the pricing scheme codecs."""

from __future__ import annotations

from rest_framework import serializers


class Money(serializers.DecimalField):
    """Pounds and pence as a string, e.g. "2142.68". Values are already in pence (pricing.py
    rounds), so the serializer never rounds; no digit limit, as totals can be large."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_digits=None, decimal_places=2, **kwargs)
