"""Pricing schemes in words, as the pages show them. Each scheme's words are in its codec
(catalogue/schemes.py); money and seats are worded by core/formatting.py, as on every page."""

from __future__ import annotations

from .schemes import SchemeExplanation, explain_scheme

__all__ = ["SchemeExplanation", "explain_scheme"]
