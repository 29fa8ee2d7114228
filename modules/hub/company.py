# This file is part of Pôle.
"""A member's books are in euros: onboarding makes its company in euros
and the combined statements add the members' amounts as they are, so a
member's company may not change to another currency."""
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta

from .exceptions import MemberCurrencyError

EURO = 'EUR'


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    @classmethod
    def validate_fields(cls, companies, field_names):
        super().validate_fields(companies, field_names)
        if field_names is None or 'currency' in field_names:
            cls.check_member_currency(companies)

    @classmethod
    def check_member_currency(cls, companies):
        Member = Pool().get('hub.member')
        others = [c for c in companies if c.currency.code != EURO]
        if not others:
            return
        for member in Member.search([
                    ('company', 'in', [c.id for c in others]),
                    ('active', 'in', [True, False]),
                    ]):
            raise MemberCurrencyError(gettext(
                    'hub.msg_member_currency_euro',
                    member=member.rec_name,
                    currency=member.company.currency.name))
