# This file is part of Pôle.
"""A CAMT.053 file imported into the statement journal of the member whose
bank account it names, by account_statement_sepa's own import."""
from lxml import etree

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateAction, StateView, Wizard

from .exceptions import StatementFileError
from .member import format_iban

CAMT_053 = 'camt_053_001'


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


def import_camt053(data, filename=None):
    """Import the CAMT.053 data into the statement journal of the member
    whose bank account its statements name, with account_statement_sepa's
    import run in that member's company; return the statements.

    A file naming an IBAN of no member, or of several members, or of a
    member whose books are not given to the user, is refused before
    anything is written."""
    pool = Pool()
    Member = pool.get('hub.member')
    Statement = pool.get('account.statement')
    Import = pool.get('account.statement.import', type='wizard')
    User = pool.get('res.user')

    name = filename or 'CAMT.053'
    members = []
    for iban in camt053_ibans(data, filename):
        member = Member.from_iban(iban)
        if member is None:
            raise StatementFileError(gettext(
                    'hub_bank.msg_camt_unknown_iban', file=name,
                    iban=format_iban(iban)))
        if member not in members:
            members.append(member)
    if len(members) > 1:
        raise StatementFileError(gettext(
                'hub_bank.msg_camt_several_members', file=name,
                members=', '.join(m.rec_name for m in members)))
    member, = members
    transaction = Transaction()
    if transaction.user:
        # The companies given, not only the current one: the import works
        # in the member's company, as the company switcher would.
        user = User(transaction.user)
        if member.company not in user.companies:
            raise AccessError(gettext(
                    'hub_bank.msg_camt_no_company_access', file=name,
                    member=member.rec_name))
    company = member.company.id
    # The stock wizard creates the statements in its form's company and
    # finds the journal under the record rules of the companies worked in.
    with transaction.set_context(company=company, _companies=[company]):
        session_id, _, _ = Import.create()
        try:
            result = Import.execute(session_id, {
                    'start': {
                        'company': company,
                        'file_': bytes(data),
                        'file_format': CAMT_053,
                        },
                    }, 'import_')
        finally:
            Import.delete(session_id)
    (_, action_data), = result['actions']
    return Statement.browse(action_data['res_id'])


class ImportStart(ModelView):
    "Import a bank statement for its member"
    __name__ = 'hub.bank.statement.import.start'

    file_ = fields.Binary("File", required=True, filename='filename',
        help="A CAMT.053 file: the statements go to the member whose bank "
        "account they name.")
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
        statements = import_camt053(self.start.file_, self.start.filename)
        self.start.file_ = None
        if len(statements) == 1:
            action['views'].reverse()
        return action, {'res_id': [s.id for s in statements]}
