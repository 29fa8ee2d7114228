# This file is part of Pôle.
"""The SEPA credit transfers of a member: each creditor's IBAN and bank are
checked before stock account_payment_sepa writes the pain.001, the refusal
naming the member, the creditor, the amount and the date (stock names only
the payment's number)."""
from trytond.i18n import gettext
from trytond.modules.hub.format import format_amount, format_date
from trytond.modules.hub_bank.member import format_iban
from trytond.pool import PoolMeta

from .exceptions import PaymentBankError


class Group(metaclass=PoolMeta):
    __name__ = 'account.payment.group'

    def process_sepa(self):
        if self.kind == 'payable':
            for payment in self.payments:
                self.check_sepa_creditor(payment)
        super().process_sepa()

    def check_sepa_creditor(self, payment):
        number = (payment.sepa_payable_bank_account_number
            or payment.sepa_bank_account_number)
        values = dict(member=self.company.rec_name,
            party=payment.party.rec_name,
            amount=format_amount(payment.amount),
            date=format_date(payment.date))
        if not number:
            raise PaymentBankError(gettext(
                    'hub_payment.msg_payment_no_iban', **values))
        if not number.account.bank:
            raise PaymentBankError(gettext(
                    'hub_payment.msg_payment_no_bank',
                    iban=format_iban(number.number_compact), **values))
