"""`{% load catalogue_format %}`: `{{ price|money }}` → "£2,142.68", `{{ n|seats }}` → "4,100"."""

from django import template

from catalogue import formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("seats", formatting.seats)
