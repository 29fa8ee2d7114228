# This file is part of Pôle.
"""Members keep their books in euros.

Mirrored invoices copy the source's amounts and the combined statements add
the members' amounts: both need one currency.  Rather than converting with
Tryton's rates everywhere, a member whose company is not in euros is refused
when it becomes a member and when its company's currency changes."""
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

from .exceptions import MemberCurrencyError

CURRENCY = 'EUR'


def check_currency(member):
    company = member.company
    if company and company.currency and company.currency.code != CURRENCY:
        raise MemberCurrencyError(gettext(
                'hub_invoicing.msg_member_currency',
                member=company.rec_name,
                currency=company.currency.rec_name))


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    @classmethod
    def validate_fields(cls, members, field_names):
        super().validate_fields(members, field_names)
        if not field_names or 'company' in field_names:
            for member in members:
                check_currency(member)


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    @classmethod
    def validate_fields(cls, companies, field_names):
        pool = Pool()
        Member = pool.get('hub.member')
        super().validate_fields(companies, field_names)
        if field_names and 'currency' not in field_names:
            return
        with without_check_access():
            members = Member.search([
                    ('company', 'in', [c.id for c in companies]),
                    ('active', 'in', [True, False]),
                    ])
        for member in members:
            check_currency(member)
