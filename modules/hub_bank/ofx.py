# This file is part of Pôle.
"""An OFX file names its account by BANKID, BRANCHID and ACCTID (French
banks: code banque, code guichet, numéro de compte with or without its clé
RIB) or by an IBAN as ACCTID: the IBAN of the member's bank account is
found from either, and the stock import is given it."""
from io import BytesIO

import ofxparse
from stdnum import iban as stdnum_iban

from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

from .exceptions import StatementFileError
from .member import compact_iban

# The digits of the letters of a French account number (clé RIB)
RIB_LETTERS = dict(zip(
        'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
        '12345678912345678923456789'))


def rib_key(bank, branch, account):
    "The clé RIB of a French account: 97 - (89 b + 15 g + 3 c) mod 97"
    account = ''.join(RIB_LETTERS.get(c, c) for c in account.upper())
    return '%02d' % (
        97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97)


def ofx_account_ibans(ofx_account):
    """The IBANs the OFX account may be (valid ones only): its ACCTID as an
    IBAN, and the French IBAN of BANKID, BRANCHID and ACCTID"""
    number = compact_iban(ofx_account.number)
    candidates = [number]
    bank = (getattr(ofx_account, 'routing_number', '') or '').strip()
    branch = (getattr(ofx_account, 'branch_id', '') or '').strip()
    if (len(bank) == 5 and len(branch) == 5 and bank.isdigit()
            and branch.isdigit() and len(number) in {11, 13}
            and number.isalnum()):
        try:
            key = number[11:] or rib_key(bank, branch, number)
        except ValueError:
            key = None
        if key:
            bban = bank + branch + number[:11] + key
            candidates.append(
                'FR' + stdnum_iban.calc_check_digits('FR00' + bban) + bban)
    return [c for c in candidates if c and stdnum_iban.is_valid(c)]


def ofx_known_iban(ofx_account):
    """The IBAN of a bank account the OFX account is, else its ACCTID as
    the file gives it"""
    Number = Pool().get('bank.account.number')
    for iban in ofx_account_ibans(ofx_account):
        with without_check_access():
            if Number.search([
                        ('type', '=', 'iban'),
                        ('number_compact', '=', iban),
                        ], limit=1):
                return iban
    return (ofx_account.number or '').strip()


def parse_ofx(data, filename):
    "The ofxparse tree; raise StatementFileError when it is not OFX"
    try:
        ofx = ofxparse.OfxParser.parse(BytesIO(bytes(data or b'')))
    except Exception as exception:
        raise StatementFileError(gettext(
                'hub_bank.msg_ofx_malformed', file=filename,
                error=str(exception) or type(exception).__name__))
    if not ofx.accounts:
        raise StatementFileError(gettext(
                'hub_bank.msg_ofx_no_statement', file=filename))
    return ofx


def ofx_ibans(data, filename):
    "The accounts of the statements of OFX data, as statement_ibans"
    ibans = []
    for account in parse_ofx(data, filename).accounts:
        iban = ofx_known_iban(account)
        if not iban:
            raise StatementFileError(gettext(
                    'hub_bank.msg_ofx_no_account', file=filename))
        ibans.append(iban)
    return ibans


class StatementImport(metaclass=PoolMeta):
    __name__ = 'account.statement.import'

    def ofx_statement(self, ofx, ofx_account):
        # The stock import finds the journal by the account's number: give
        # it the IBAN of the bank account that BANKID/BRANCHID/ACCTID are
        ofx_account.account_id = ofx_known_iban(ofx_account)
        return super().ofx_statement(ofx, ofx_account)
