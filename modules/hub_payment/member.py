# This file is part of Pôle.
"""A member's SEPA payment journal: on the bank account hub_bank gave it
(its IBAN, the BIC of its bank), created with the bank account at
onboarding, or by the member form's button for a member onboarded before."""
from trytond.i18n import gettext
from trytond.model import ModelView
from trytond.model.exceptions import AccessError
from trytond.modules.hub_bank.member import format_iban
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from .exceptions import PaymentJournalError

# The flavours French banks take (EPC's, schema shipped by the stock module)
PAYABLE_FLAVOR = 'pain.001.001.03'
RECEIVABLE_FLAVOR = 'pain.008.001.02'


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'create_payment_journal': {
                    'icon': 'tryton-launch',
                    },
                })

    @classmethod
    def create_bank_account(cls, member, iban, bic=None):
        "With a bank (a BIC), the account gets its payment journal at once"
        account = super().create_bank_account(member, iban, bic=bic)
        if account.bank and account.bank.bic:
            cls.payment_journal(member)
        return account

    @classmethod
    @ModelView.button
    def create_payment_journal(cls, members):
        "The button: each member's SEPA journal, created when missing"
        User = Pool().get('res.user')
        user_id = Transaction().user
        for member in members:
            if user_id and member.company not in User(user_id).companies:
                raise AccessError(gettext(
                        'hub_payment.msg_no_company_access',
                        member=member.rec_name))
            cls.payment_journal(member)

    @classmethod
    def payment_journal(cls, member):
        """The member's SEPA payment journal on the IBAN of its company's
        bank account, created when missing: safe to run twice"""
        pool = Pool()
        Journal = pool.get('account.payment.journal')
        Number = pool.get('bank.account.number')
        company = member.company
        with without_check_access():
            numbers = Number.search([
                    ('type', '=', 'iban'),
                    ('account.owners', '=', company.party.id),
                    ('account.active', '=', True),
                    ], order=[('id', 'ASC')], limit=1)
            if not numbers:
                raise PaymentJournalError(gettext(
                        'hub_payment.msg_no_bank_account',
                        member=member.rec_name))
            number, = numbers
            journals = Journal.search([
                    ('company', '=', company.id),
                    ('process_method', '=', 'sepa'),
                    ('sepa_bank_account_number', '=', number.id),
                    ], limit=1)
            if journals:
                return journals[0]
            bank = number.account.bank
            if not bank or not bank.bic:
                # The pain.001 names the debtor's bank by its BIC
                raise PaymentJournalError(gettext(
                        'hub_payment.msg_no_bic', member=member.rec_name,
                        iban=format_iban(number.number_compact)))
            journal = Journal(
                name=gettext('hub_payment.msg_journal_name',
                    cls.books_language(company)),
                company=company, currency=company.currency,
                process_method='sepa', sepa_bank_account_number=number,
                sepa_payable_flavor=PAYABLE_FLAVOR,
                sepa_receivable_flavor=RECEIVABLE_FLAVOR,
                sepa_charge_bearer='SLEV', sepa_batch_booking=False)
            journal.save()
        return journal
