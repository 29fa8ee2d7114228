# This file is part of Pôle.
"""A member's bank account: created at onboarding from the IBAN (and BIC)
the accountant types, owned by the member's company's party, with the
statement journal its bank statements are imported into."""
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

from .exceptions import BankAccountError

# The chart's account of the bank statement journal, first found
BANK_ACCOUNT_CODES = ['5121', '512']


def compact_iban(number):
    "The IBAN without its spaces, in capitals (as bank stores it compact)"
    return stdnum_iban.compact(number or '')


def format_iban(number):
    "The IBAN grouped by 4, as printed on a RIB"
    return stdnum_iban.format(number or '')


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    @classmethod
    def onboard(cls, *args, iban=None, bic=None, **kwargs):
        """Onboard as hub does; with an IBAN (and a BIC), the member's
        company gets its bank account and statement journal.  The IBAN and
        the BIC are checked before anything is created."""
        name = (kwargs['name'] if 'name' in kwargs
            else (args[0] if args else '')) or ''
        iban, bic = cls.check_bank_numbers(name.strip(), iban, bic)
        member = super().onboard(*args, **kwargs)
        if iban:
            cls.create_bank_account(member, iban, bic)
        return member

    @classmethod
    def check_bank_numbers(cls, name, iban, bic=None):
        """The IBAN and BIC compact, checked: valid and the IBAN no other
        account's; raise BankAccountError naming the member otherwise"""
        Number = Pool().get('bank.account.number')
        iban = compact_iban(iban) or None
        bic = stdnum_bic.compact(bic or '') or None
        if bic and not iban:
            raise BankAccountError(gettext(
                    'hub_bank.msg_bic_without_iban', member=name, bic=bic))
        if iban and not stdnum_iban.is_valid(iban):
            raise BankAccountError(gettext(
                    'hub_bank.msg_invalid_iban', member=name,
                    iban=format_iban(iban)))
        if bic and not stdnum_bic.is_valid(bic):
            raise BankAccountError(gettext(
                    'hub_bank.msg_invalid_bic', member=name, bic=bic))
        if iban:
            with without_check_access():
                numbers = Number.search([
                        ('type', '=', 'iban'),
                        ('number_compact', '=', iban),
                        ], limit=1)
                if numbers:
                    owners = numbers[0].account.owners
                    raise BankAccountError(gettext(
                            'hub_bank.msg_iban_used', member=name,
                            iban=format_iban(iban),
                            owner=', '.join(o.rec_name for o in owners)
                            or numbers[0].account.rec_name))
        return iban, bic

    @classmethod
    def create_bank_account(cls, member, iban, bic=None):
        """Give the member's company's party a bank account with the IBAN,
        at the bank of the BIC (found, else created), and the statement
        journal of that account; return the account"""
        pool = Pool()
        Account = pool.get('bank.account')
        Number = pool.get('bank.account.number')
        StatementJournal = pool.get('account.statement.journal')

        company = member.company
        with without_check_access():
            account = Account(
                owners=[company.party], currency=company.currency,
                bank=cls._bank_from_bic(bic) if bic else None,
                numbers=[Number(type='iban', number=iban)])
            account.save()
            StatementJournal(
                name=gettext('hub_bank.msg_statement_journal_name',
                    cls.books_language(company)),
                company=company, currency=company.currency,
                journal=cls._statement_journal(member),
                account=cls._statement_account(member),
                bank_account=account, validation='balance').save()
        return account

    @classmethod
    def _bank_from_bic(cls, bic):
        "The bank of the BIC, created (named by its BIC) when none has it"
        pool = Pool()
        Bank = pool.get('bank')
        Party = pool.get('party.party')
        banks = Bank.search([('bic', '=', bic)], limit=1)
        if banks:
            return banks[0]
        # bank names it from the BIC when schwifty is installed
        bank = Bank.from_bic(bic)
        if bank is None:
            party = Party(name=bic)
            party.save()
            bank = Bank(party=party, bic=bic)
            bank.save()
        return bank

    @classmethod
    def _statement_journal(cls, member):
        "The account journal of statements (account_statement's)"
        Journal = Pool().get('account.journal')
        journals = Journal.search(
            [('type', '=', 'statement')], order=[('id', 'ASC')], limit=1)
        if not journals:
            raise BankAccountError(gettext(
                    'hub_bank.msg_no_statement_journal',
                    member=member.rec_name))
        return journals[0]

    @classmethod
    def _statement_account(cls, member):
        "The bank account of the member's chart (5121, else 512)"
        Account = Pool().get('account.account')
        for code in BANK_ACCOUNT_CODES:
            accounts = Account.search([
                    ('company', '=', member.company.id),
                    ('code', '=', code),
                    ('type', '!=', None),
                    ('closed', '!=', True),
                    ('party_required', '=', False),
                    ], limit=1)
            if accounts:
                return accounts[0]
        raise BankAccountError(gettext(
                'hub_bank.msg_no_bank_account', member=member.rec_name,
                codes=', '.join(BANK_ACCOUNT_CODES)))

    @classmethod
    def from_iban(cls, number):
        """The member whose company's party owns the bank account with the
        IBAN (active members only), else None"""
        pool = Pool()
        Number = pool.get('bank.account.number')
        iban = compact_iban(number)
        if not iban:
            return None
        with without_check_access():
            numbers = Number.search([
                    ('type', '=', 'iban'),
                    ('number_compact', '=', iban),
                    ])
            parties = [o.id for n in numbers for o in n.account.owners]
            if not parties:
                return None
            members = cls.search(
                [('company.party', 'in', parties)], limit=1)
        return cls(members[0].id) if members else None


class OnboardStart(metaclass=PoolMeta):
    __name__ = 'hub.member.onboard.start'

    iban = fields.Char(
        "IBAN", size=42,
        help="The IBAN of the association's bank account, as printed on "
        "its RIB (optional).")
    bic = fields.Char(
        "BIC", size=11,
        help="The BIC of the bank (optional): the bank is created when "
        "none has it.")


class Onboard(metaclass=PoolMeta):
    __name__ = 'hub.member.onboard'

    def get_onboard_values(self):
        values = super().get_onboard_values()
        values['iban'] = self.start.iban
        values['bic'] = self.start.bic
        return values
