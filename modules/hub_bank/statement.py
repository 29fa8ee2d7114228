# This file is part of Pôle.
"""A CAMT.053 or OFX file imported into the statement journal of the member
whose bank account it names, by the stock import (account_statement_sepa's,
account_statement_ofx's)."""
from lxml import etree
from stdnum import iban as stdnum_iban

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.modules.hub.format import format_date
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateView, Wizard

from .exceptions import StatementFileError
from .member import format_iban
from .ofx import ofx_ibans

CAMT_053 = 'camt_053_001'
OFX = 'ofx'
FORMAT_NAMES = {CAMT_053: 'CAMT.053', OFX: 'OFX'}


def camt053_ibans(data, filename=None):
    """The IBANs of the statements (Stmt) of CAMT.053 data, in their order;
    raise StatementFileError for data that is not such XML"""
    name = filename or 'CAMT.053'
    # Nothing fetched nor expanded: a bank's file needs neither
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(bytes(data or b''), parser=parser)
    except etree.XMLSyntaxError as exception:
        raise StatementFileError(gettext(
                'hub_bank.msg_camt_malformed', file=name,
                error=str(exception)))
    # A bank's file declares no document type; one that does could make
    # the stock import (lxml's default parser) expand its entities
    if root.getroottree().docinfo.doctype:
        raise StatementFileError(gettext(
                'hub_bank.msg_camt_doctype', file=name))
    statements = root.findall('./{*}BkToCstmrStmt/{*}Stmt')
    if etree.QName(root).localname != 'Document' or not statements:
        raise StatementFileError(gettext(
                'hub_bank.msg_camt_no_statement', file=name))
    ibans = []
    for statement in statements:
        iban = (statement.findtext('./{*}Acct/{*}Id/{*}IBAN') or '').strip()
        if not iban:
            raise StatementFileError(gettext(
                    'hub_bank.msg_camt_no_iban', file=name,
                    statement=statement.findtext('./{*}Id') or ''))
        ibans.append(iban)
    return ibans


def statement_format(data, filename=None):
    """The stock import's format of the file: OFX when its name or its
    header says so, else CAMT.053"""
    head = bytes(data or b'')[:1024].lstrip(b'\xef\xbb\xbf \t\r\n').upper()
    if ((filename or '').lower().endswith(('.ofx', '.qfx'))
            or head.startswith(b'OFXHEADER') or b'<OFX>' in head
            or b'OFXHEADER=' in head):
        return OFX
    return CAMT_053


def statement_ibans(data, filename=None, file_format=None):
    """The accounts the statements of the file name, in their order, each
    an IBAN (compact) of a bank account when one is known, else the
    number as the file gives it"""
    file_format = file_format or statement_format(data, filename)
    if file_format == OFX:
        return ofx_ibans(data, filename)
    return camt053_ibans(data, filename)


def statement_member(ibans, filename):
    """The one member whose bank accounts the IBANs are; raise
    StatementFileError for an IBAN of no member or several members, or
    AccessError for a member whose books are not given to the user"""
    pool = Pool()
    Member = pool.get('hub.member')
    User = pool.get('res.user')
    members = []
    for iban in ibans:
        member = Member.from_iban(iban)
        if member is None:
            raise StatementFileError(gettext(
                    'hub_bank.msg_camt_unknown_iban', file=filename,
                    iban=format_iban(iban) if stdnum_iban.is_valid(iban)
                    else iban))
        if member not in members:
            members.append(member)
    if len(members) > 1:
        raise StatementFileError(gettext(
                'hub_bank.msg_camt_several_members', file=filename,
                members=', '.join(m.rec_name for m in members)))
    member, = members
    transaction = Transaction()
    if transaction.user:
        # The companies given, not only the current one: the import works
        # in the member's company, as the company switcher would.
        user = User(transaction.user)
        if member.company not in user.companies:
            raise AccessError(gettext(
                    'hub_bank.msg_camt_no_company_access', file=filename,
                    member=member.rec_name))
    return member


def import_statement(data, filename=None, file_format=None):
    """Import the CAMT.053 or OFX data into the statement journal of the
    member whose bank account its statements name, with the stock import
    run in that member's company; return the statements.

    A file naming an IBAN of no member, or of several members, or of a
    member whose books are not given to the user, a statement already
    imported or dated in a period not open is refused before anything is
    written."""
    pool = Pool()
    Statement = pool.get('account.statement')
    Import = pool.get('account.statement.import', type='wizard')

    file_format = file_format or statement_format(data, filename)
    name = filename or FORMAT_NAMES[file_format]
    member = statement_member(
        statement_ibans(data, name, file_format), name)
    company = member.company.id
    transaction = Transaction()
    # The stock wizard creates the statements in its form's company and
    # finds the journal under the record rules of the companies worked in.
    with transaction.set_context(company=company, _companies=[company],
            hub_bank_file_name=name):
        session_id, _, _ = Import.create()
        try:
            result = Import.execute(session_id, {
                    'start': {
                        'company': company,
                        'file_': bytes(data),
                        'file_format': file_format,
                        },
                    }, 'import_')
        finally:
            Import.delete(session_id)
    (_, action_data), = result['actions']
    return Statement.browse(action_data['res_id'])


def import_camt053(data, filename=None):
    "Import the CAMT.053 data for its member (see import_statement)"
    return import_statement(data, filename, CAMT_053)


class Statement(metaclass=PoolMeta):
    __name__ = 'account.statement'

    file_name = fields.Char("File Name", readonly=True,
        help="The name of the file the statement was imported from.")


class StatementImport(metaclass=PoolMeta):
    """The stock import refuses, before anything is written, a statement
    already imported or dated in a period that is not open"""
    __name__ = 'account.statement.import'

    def parse_camt_053_001(self):
        return self.hub_checked(super().parse_camt_053_001())

    def parse_ofx(self):
        return self.hub_checked(super().parse_ofx())

    def hub_checked(self, statements):
        statements = list(statements)
        name = Transaction().context.get('hub_bank_file_name')
        for statement in statements:
            self.hub_check_duplicate(statement, name)
            self.hub_check_periods(statement, name)
            statement.file_name = name
        return statements

    def hub_check_duplicate(self, statement, filename):
        Statement = Pool().get('account.statement')
        with without_check_access():
            others = Statement.search([
                    ('journal', '=', statement.journal.id),
                    ('name', '=', statement.name),
                    ('date', '=', statement.date),
                    ('state', '!=', 'cancelled'),
                    ], limit=1)
        if others:
            raise StatementFileError(gettext(
                    'hub_bank.msg_statement_duplicate',
                    file=filename or statement.name,
                    statement=statement.name,
                    member=statement.company.rec_name,
                    date=format_date(statement.date),
                    other=others[0].file_name or others[0].name))

    def hub_check_periods(self, statement, filename):
        "Every date of the statement in an open standard period"
        Period = Pool().get('account.period')
        dates = {statement.date} | {o.date for o in statement.origins}
        for date in sorted(filter(None, dates)):
            with without_check_access():
                periods = Period.search([
                        ('company', '=', statement.company.id),
                        ('start_date', '<=', date),
                        ('end_date', '>=', date),
                        ('type', '=', 'standard'),
                        ], limit=1)
            if not periods:
                raise StatementFileError(gettext(
                        'hub_bank.msg_statement_no_period',
                        file=filename or statement.name,
                        member=statement.company.rec_name,
                        date=format_date(date)))
            period, = periods
            if period.state != 'open':
                raise StatementFileError(gettext(
                        'hub_bank.msg_statement_period_closed',
                        file=filename or statement.name,
                        member=statement.company.rec_name,
                        date=format_date(date), period=period.rec_name))


class ImportStart(ModelView):
    "Import a bank statement for its member"
    __name__ = 'hub.bank.statement.import.start'

    file_ = fields.Binary("File", required=True, filename='filename',
        help="A CAMT.053 or OFX file: the statements go to the member whose "
        "bank account they name.")
    filename = fields.Char("File Name")


class Import(Wizard):
    "Import a bank statement for its member"
    __name__ = 'hub.bank.statement.import'
    start = StateView('hub.bank.statement.import.start',
        'hub_bank.statement_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateAction('account_statement.act_statement_form')

    def do_import_(self, action):
        statements = import_statement(self.start.file_, self.start.filename)
        self.start.file_ = None
        if len(statements) == 1:
            action['views'].reverse()
        return action, {'res_id': [s.id for s in statements]}
