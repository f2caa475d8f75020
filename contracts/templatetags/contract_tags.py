"""{% load contract_tags %}: a contract's "renew or leave" flag in lists."""

from __future__ import annotations

from django import template
from django.utils import timezone

from contracts.selectors import contract_ending_soon

register = template.Library()


@register.filter
def ending_soon(contract) -> bool:
    """True for an active contract that ends within RENEW_OR_LEAVE_MONTHS of today."""
    return contract_ending_soon(contract, today=timezone.localdate())
