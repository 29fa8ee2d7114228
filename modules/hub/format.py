# This file is part of Pôle.
"""Dates and figures in the messages shown to the users, the French way
whatever the user's language (the pôle works in French): « 05/07/2027 »,
« 1 234,56 »; a message's arguments are formatted with these, never with
str() (an ISO date, a decimal point)."""
from decimal import Decimal


def format_amount(amount, digits=2):
    "1 234,50: two decimals (or digits), thousands apart"
    if amount is None:
        return ''
    text = '{:,.{}f}'.format(Decimal(amount), digits)
    return text.replace(',', ' ').replace('.', ',')


def format_number(value):
    "A quantity (hours, ETP, a limit) without useless zeros: 20, 12,5, 1 607"
    if value is None:
        return ''
    value = Decimal(value)
    if value == value.to_integral_value():
        return format_amount(value, 0)
    digits = -value.normalize().as_tuple().exponent
    return format_amount(value, digits)


def format_date(date):
    "05/07/2027"
    return date.strftime('%d/%m/%Y') if date else ''


def format_month(date):
    "07/2027"
    return date.strftime('%m/%Y') if date else ''
