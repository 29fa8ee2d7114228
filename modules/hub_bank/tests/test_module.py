# This file is part of Pôle.
import datetime as dt
import os
from decimal import Decimal as D

from lxml import etree

from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.modules.hub.tests.tools import (
    HubCompanyTestMixin, french_chart, onboard_member)
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from ..batch import import_files
from ..exceptions import BankAccountError, StatementFileError
from ..ofx import rib_key
from ..statement import import_camt053, import_statement

CAMT = os.path.join(os.path.dirname(__file__), 'camt053_atelier.xml')
OFX = os.path.join(os.path.dirname(__file__), 'ofx_atelier.ofx')


def read(path):
    with open(path, 'rb') as file_:
        return file_.read()

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
# Valid French IBANs (check digits 76 and 14), as a RIB prints them
IBAN_ATELIER = 'FR76 3000 6000 0112 3456 7890 189'
IBAN_SCOP = 'FR14 2004 1010 0505 0001 3M02 606'


def load_french():
    "French translations loaded, as trytond-admin -l fr does"
    Lang = Pool().get('ir.lang')
    french, = Lang.search([('code', '=', 'fr')])
    Lang.write([french], {'translatable': True})
    Lang.load_translations([french])


def onboard(name, siret, **kwargs):
    "An ACI on account_fr's chart, the calendar year 2026"
    return onboard_member(name, siret, 'aci', START, END, **kwargs)


def onboard_wizard(name, siret, iban=None, bic=None):
    "Onboard through the wizard, as the accountant does"
    pool = Pool()
    Onboard = pool.get('hub.member.onboard', type='wizard')
    Member = pool.get('hub.member')
    session_id, _, _ = Onboard.create()
    wizard = Onboard(session_id)
    wizard.start.name = name
    wizard.start.siret = siret
    wizard.start.kind = 'aci'
    wizard.start.account_template = french_chart()
    wizard.start.fiscalyear_start = START
    wizard.start.fiscalyear_end = END
    wizard.start.joined = START
    wizard.start.vat_liable = False
    wizard.start.collective = False
    for field in ['street', 'postal_code', 'city', 'country']:
        setattr(wizard.start, field, None)
    wizard.start.iban = iban
    wizard.start.bic = bic
    wizard.transition_onboard()
    Onboard.delete(session_id)
    member, = Member.search([('siret', '=', siret)])
    return member


class HubBankTestCase(HubCompanyTestMixin, ModuleTestCase):
    "Test Hub Bank module"
    module = 'hub_bank'
    # Its extra part (inter-member transfers), as test_transfer
    extras = ['hub_invoicing']


    @with_transaction()
    def test_onboard_bank_account(self):
        """The wizard's IBAN and BIC: the member's company's party owns the
        bank account, at the bank of the BIC, with a statement journal on
        5121; a second member of the same BIC shares the bank; none without
        an IBAN"""
        pool = Pool()
        Account = pool.get('bank.account')
        Bank = pool.get('bank')
        Journal = pool.get('account.statement.journal')
        load_french()

        atelier = onboard_wizard(
            "Atelier", '41234502700012',
            iban='fr7630006000011234567890189', bic='agri fr pp')
        account, = Account.search([('owners', '=', atelier.company.party.id)])
        self.assertEqual(account.iban, IBAN_ATELIER)
        self.assertEqual(account.iban_compact, 'FR7630006000011234567890189')
        self.assertEqual(account.bank.bic, 'AGRIFRPP')
        self.assertEqual(account.bank.party.name, 'AGRIFRPP')
        self.assertEqual(account.currency.code, 'EUR')
        journal, = Journal.search([('company', '=', atelier.company.id)])
        self.assertEqual(journal.bank_account, account)
        self.assertEqual(journal.account.code, '5121')
        self.assertEqual(journal.account.company, atelier.company)
        self.assertEqual(journal.journal.type, 'statement')
        self.assertEqual(journal.name, 'Banque')  # the books are French
        self.assertEqual(Journal.get_by_bank_account(
                atelier.company.id, 'FR7630006000011234567890189'), journal)

        scop = onboard(
            "SCOP", '41234503500015', iban=IBAN_SCOP, bic='AGRIFRPP')
        scop_account, = Account.search(
            [('owners', '=', scop.company.party.id)])
        self.assertEqual(scop_account.bank, account.bank)
        self.assertEqual(Bank.search([], count=True), 1)
        self.assertEqual(pool.get('hub.member').from_iban(
                'FR14 2004 1010 0505 0001 3M02 606'), scop)
        self.assertEqual(pool.get('hub.member').from_iban(
                'FR1420041010050500013M02606'), scop)
        self.assertIsNone(pool.get('hub.member').from_iban(
                'DE89 3704 0044 0532 0130 00'))

        plain = onboard("Recyclerie", '41234501900019')
        self.assertEqual(
            Account.search([('owners', '=', plain.company.party.id)]), [])
        self.assertEqual(
            Journal.search([('company', '=', plain.company.id)]), [])

    @with_transaction()
    def test_onboard_bad_bank_numbers(self):
        """A wrong IBAN check digit, a BIC of no country, a BIC without an
        IBAN: named errors before anything is created"""
        pool = Pool()
        Company = pool.get('company.company')
        Account = pool.get('bank.account')
        companies = Company.search([], count=True)

        for kwargs, message in [
                ({'iban': 'FR76 3000 6000 0112 3456 7890 188'},
                    '"Atelier": the IBAN "FR76 3000 6000 0112 3456 7890 188"'
                    ' is not valid'),
                ({'iban': 'FR7630006000011234567890189', 'bic': 'AGRIXXPP'},
                    '"Atelier": the BIC "AGRIXXPP" is not valid'),
                ({'bic': 'AGRIFRPP'},
                    '"Atelier": the BIC AGRIFRPP is given without the IBAN'),
                ]:
            with self.subTest(**kwargs):
                with self.assertRaisesRegex(BankAccountError, message):
                    onboard_wizard("Atelier", '41234502700012', **kwargs)
        self.assertEqual(Company.search([], count=True), companies)
        self.assertEqual(Account.search([], count=True), 0)

    @with_transaction()
    def test_onboard_iban_used(self):
        "An IBAN already a bank account's is refused, its owner named"
        pool = Pool()
        Member = pool.get('hub.member')
        onboard("Atelier", '41234502700012', iban=IBAN_ATELIER)
        with self.assertRaisesRegex(BankAccountError,
                '"SCOP": the IBAN FR76 3000 6000 0112 3456 7890 189 is '
                'already the bank account of "Atelier"'):
            onboard("SCOP", '41234503500015', iban=IBAN_ATELIER.lower())
        self.assertEqual(Member.search([], count=True), 1)

    @with_transaction()
    def test_messages_french(self):
        "The errors are translated: the French of a wrong IBAN"
        load_french()
        self.assertEqual(
            gettext('hub_bank.msg_invalid_iban', 'fr', member="Atelier",
                iban='FR76 3000 6000 0112 3456 7890 188'),
            "Impossible d'intégrer « Atelier » : l'IBAN "
            "« FR76 3000 6000 0112 3456 7890 188 » n'est pas valide.")


    @with_transaction()
    def test_import_camt053(self):
        """Atelier's March statement goes to Atelier's journal through the
        hub's wizard, whatever the context company: 3 lines, 1 000.00 to
        1 087.50; the SCOP's IBAN of the third line names its party"""
        pool = Pool()
        Statement = pool.get('account.statement')
        Journal = pool.get('account.statement.journal')
        Import = pool.get('hub.bank.statement.import', type='wizard')

        atelier = onboard("Atelier", '41234502700012', iban=IBAN_ATELIER)
        scop = onboard("SCOP", '41234503500015', iban=IBAN_SCOP)
        with open(CAMT, 'rb') as file_:
            data = file_.read()

        with Transaction().set_context(company=scop.company.id):
            session_id, _, _ = Import.create()
            result = Import.execute(session_id, {
                    'start': {
                        'file_': data,
                        'filename': 'releve-mars.xml',
                        },
                    }, 'import_')
            Import.delete(session_id)
        (action, action_data), = result['actions']
        statement, = Statement.browse(action_data['res_id'])
        journal, = Journal.search([('company', '=', atelier.company.id)])
        self.assertEqual(statement.company, atelier.company)
        self.assertEqual(statement.journal, journal)
        self.assertEqual(statement.name, 'ATELIER-2026-03')
        self.assertEqual(statement.date, dt.date(2026, 3, 31))
        self.assertEqual(statement.start_balance, D('1000.00'))
        self.assertEqual(statement.end_balance, D('1087.50'))
        self.assertEqual(statement.total_amount, D('87.50'))
        self.assertEqual(statement.number_of_lines, 3)
        self.assertEqual(statement.state, 'draft')
        self.assertEqual(statement.origin_file, data)
        self.assertEqual(
            [(o.date, o.amount, o.number) for o in statement.origins], [
                (dt.date(2026, 3, 5), D('250.00'), '0001'),
                (dt.date(2026, 3, 10), D('-62.50'), '0002'),
                (dt.date(2026, 3, 20), D('-100.00'), '0003'),
                ])
        asp, urssaf, to_scop = statement.origins
        self.assertEqual(
            asp.information['camt_remittance_information'],
            'AIDE AU POSTE 02/2026')
        self.assertIsNone(asp.party)  # the ASP's account is no one's here
        self.assertEqual(to_scop.party, scop.company.party)
        self.assertEqual(
            Statement.search([('company', '=', scop.company.id)]), [])

    @with_transaction()
    def test_import_camt053_refused(self):
        """An IBAN of no member (printed by 4), a file of two members, a
        malformed or foreign XML: named errors, no statement written"""
        pool = Pool()
        Statement = pool.get('account.statement')
        Origin = pool.get('account.statement.origin')

        onboard("Atelier", '41234502700012', iban=IBAN_ATELIER)
        onboard("SCOP", '41234503500015', iban=IBAN_SCOP)
        with open(CAMT, 'rb') as file_:
            data = file_.read()

        unknown = data.replace(
            b'<IBAN>FR7630006000011234567890189</IBAN>',
            b'<IBAN>DE89370400440532013000</IBAN>')
        self.assertNotEqual(unknown, data)
        root = etree.fromstring(data)
        ns = {'c': 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'}
        statement, = root.xpath('//c:Stmt', namespaces=ns)
        other = etree.fromstring(etree.tostring(statement))
        other.find('./c:Acct/c:Id/c:IBAN', ns).text = (
            'FR1420041010050500013M02606')
        statement.addnext(other)
        two = etree.tostring(root)
        for content, message in [
                (unknown, '"mars.xml" is the statement of the account '
                    'DE89 3704 0044 0532 0130 00, which is the bank account '
                    'of no member'),
                (two, r'"mars.xml" has the statements of several members '
                    r'\(Atelier, SCOP\)'),
                (data[:-40], r'"mars.xml" is not a CAMT.053 statement: its '
                    r'XML is malformed \(.*line'),
                (b'', '"mars.xml" is not a CAMT.053 statement: its XML'),
                (b'<?xml version="1.0"?>\n<!DOCTYPE Document [\n'
                    b'<!ENTITY iban SYSTEM "file:///etc/hostname">]>\n'
                    + data[data.index(b'<Document'):].replace(
                        b'FR7630006000011234567890189', b'&iban;'),
                    r'"mars.xml" is not accepted as a CAMT.053 statement: '
                    r'it declares a document type \(DOCTYPE\)'),
                (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
                    b'pain.001.001.03"><CstmrCdtTrfInitn/></Document>',
                    r'"mars.xml" is not a CAMT.053 statement: it has no '
                    r'statement'),
                (data.replace(b'<IBAN>FR7630006000011234567890189</IBAN>',
                        b'<Othr><Id>12345</Id></Othr>'),
                    '"ATELIER-2026-03" of the file "mars.xml" gives no IBAN'),
                ]:
            with self.subTest(message=message):
                with self.assertRaisesRegex(StatementFileError, message):
                    import_camt053(content, 'mars.xml')
        self.assertEqual(Statement.search([], count=True), 0)
        self.assertEqual(Origin.search([], count=True), 0)
        # The same file with the member's IBAN is imported
        self.assertEqual(len(import_camt053(data, 'mars.xml')), 1)


    @with_transaction()
    def test_import_camt053_accountant(self):
        """The collective's accountant (her role, access checks on, working
        in the SCOP) imports Atelier's file into Atelier; a user of the
        accountants' group given the SCOP's books only is refused it,
        nothing written"""
        pool = Pool()
        User = pool.get('res.user')
        UserRole = pool.get('res.user.role')
        ModelData = pool.get('ir.model.data')
        Statement = pool.get('account.statement')
        Import = pool.get('hub.bank.statement.import', type='wizard')

        atelier = onboard("Atelier", '41234502700012', iban=IBAN_ATELIER)
        scop = onboard("SCOP", '41234503500015', iban=IBAN_SCOP)
        with open(CAMT, 'rb') as file_:
            data = file_.read()
        role = ModelData.get_id('hub', 'role_accountant')

        def accountant(login, companies, **values):
            user = User(login=login, companies=companies,
                company=scop.company, **values)
            user.save()
            return user

        def run(user):
            with Transaction().set_user(user.id), Transaction().set_context(
                    company=user.company.id, _check_access=True):
                session_id, _, _ = Import.create()
                try:
                    result = Import.execute(session_id, {
                            'start': {'file_': data, 'filename': 'mars.xml'},
                            }, 'import_')
                finally:
                    Import.delete(session_id)
            (_, action_data), = result['actions']
            return Statement.browse(action_data['res_id'])

        # The role gives her every member's books (hub grants them)
        statement, = run(accountant(
                'comptable', [scop.company], roles=[UserRole(role=role)]))
        self.assertEqual(statement.company, atelier.company)
        self.assertEqual(statement.end_balance, D('1087.50'))
        Statement.delete([statement])

        with self.assertRaisesRegex(AccessError,
                '"mars.xml": it is the statement of "Atelier", whose books'):
            run(accountant('comptable-scop', [scop.company], groups=[
                        ModelData.get_id('hub', 'group_hub_accountant'),
                        ModelData.get_id('account', 'group_account'),
                        ModelData.get_id(
                            'account_statement', 'group_statement'),
                        ]))
        self.assertEqual(Statement.search([], count=True), 0)

    @with_transaction()
    def test_import_ofx_batch(self):
        """Atelier's April OFX names its account by BANKID 30006, BRANCHID
        00001, ACCTID 12345678901 (the clé RIB 89 computed): routed to
        Atelier; an ACCTID that is the SCOP's IBAN to the SCOP.  A folder
        of files for both: done, skipped (run twice), refused by name
        (unknown account, malformed OFX, the same statement under another
        name), nothing written for the refused; a period closed refuses the
        file, naming the period and the member."""
        pool = Pool()
        Statement = pool.get('account.statement')
        Period = pool.get('account.period')

        atelier = onboard("Atelier", '41234502700012', iban=IBAN_ATELIER)
        scop = onboard("SCOP", '41234503500015', iban=IBAN_SCOP)
        camt, ofx = read(CAMT), read(OFX)
        # 97 - (89 x 30006 + 15 x 1 + 3 x 12345678901) mod 97 = 89
        self.assertEqual(rib_key('30006', '00001', '12345678901'), '89')

        statement, = import_statement(ofx, 'avril.ofx')
        self.assertEqual(statement.company, atelier.company)
        self.assertEqual(statement.name, 'ATELIER-2026-04')
        self.assertEqual(statement.file_name, 'avril.ofx')
        # The ledger balance 1 347.50 after 300.00 - 40.00 = 260.00
        self.assertEqual(statement.start_balance, D('1087.50'))
        self.assertEqual(statement.end_balance, D('1347.50'))
        self.assertEqual(
            [(o.date, o.amount, o.description) for o in statement.origins],
            [(dt.date(2026, 4, 8), D('300.00'),
                    'VIR SEPA ASP|AIDE AU POSTE 03/2026'),
                (dt.date(2026, 4, 15), D('-40.00'),
                    'PRLV SEPA URSSAF|COTISATIONS 03/2026')])
        Statement.delete([statement])

        scop_ofx = ofx.replace(
            b'<BANKID>30006<BRANCHID>00001<ACCTID>12345678901',
            b'<ACCTID>FR1420041010050500013M02606').replace(
            b'ATELIER-2026-04', b'SCOP-2026-04')
        unknown = ofx.replace(b'<ACCTID>12345678901', b'<ACCTID>98765432109')
        files = [
            ('avril.ofx', ofx),
            ('mars.xml', camt),
            ('scop-avril.ofx', scop_ofx),
            ('inconnu.ofx', unknown),
            ('casse.ofx', ofx[:200]),
            ('copie-mars.xml', camt),
            ]
        reports = import_files(files)
        self.assertEqual([r[:2] for r in reports], [
                ('avril.ofx', 'done'),
                ('mars.xml', 'done'),
                ('scop-avril.ofx', 'done'),
                ('inconnu.ofx', 'refused'),
                ('casse.ofx', 'refused'),
                ('copie-mars.xml', 'refused'),
                ])
        self.assertEqual(reports[0][2], '"avril.ofx": imported for '
            '"Atelier" (ATELIER-2026-04, 2 lines).')
        self.assertIn('account 98765432109, which is the bank account of no '
            'member', reports[3][2])
        self.assertIn('"casse.ofx" is not an OFX statement', reports[4][2])
        self.assertEqual(reports[5][2], 'The file "copie-mars.xml" is not '
            'imported: the statement "ATELIER-2026-03" of 31/03/2026 of '
            '"Atelier" is already imported (from "mars.xml").')
        self.assertEqual(
            [(s.company, s.name) for s in Statement.search(
                    [], order=[('name', 'ASC')])],
            [(atelier.company, 'ATELIER-2026-03'),
                (atelier.company, 'ATELIER-2026-04'),
                (scop.company, 'SCOP-2026-04')])

        # Twice: the files done are skipped, nothing duplicated
        again = import_files(files)
        self.assertEqual([r[1] for r in again],
            ['skipped'] * 3 + ['refused'] * 3)
        self.assertEqual(again[1][2], '"mars.xml": skipped, already '
            'imported for "Atelier" (ATELIER-2026-03).')
        self.assertEqual(Statement.search([], count=True), 3)

        # March closed in Atelier's books: its March file is refused
        Statement.delete(Statement.search([('name', '=', 'ATELIER-2026-03')]))
        march, = Period.search([
                ('company', '=', atelier.company.id),
                ('start_date', '=', dt.date(2026, 3, 1)),
                ('type', '=', 'standard')])
        Period.close([march])
        with self.assertRaisesRegex(StatementFileError,
                '"mars.xml" is not imported: its date 05/03/2026 falls in '
                'the period "%s" of "Atelier", which is closed'
                % march.rec_name):
            import_statement(camt, 'mars.xml')
        self.assertEqual(Statement.search([], count=True), 2)

    @with_transaction()
    def test_pole_rules(self):
        """The pôle's rules (no company, accounts by code) match Atelier's
        March lines: the ASP's 250.00 to 4417, the URSSAF's 62.50 to 431,
        the net salary's 100.00 to 421 (4210, its open sub-account);
        validated, the bank 5121 gets 250.00 - 62.50 - 100.00 = 87.50"""
        pool = Pool()
        Rule = pool.get('account.statement.rule')
        MoveLine = pool.get('account.move.line')

        atelier = onboard("Atelier", '41234502700012', iban=IBAN_ATELIER)
        # The PCG closes 421 to be detailed: the payroll uses 4210
        pool.get('account.account').open_account(atelier.company, '421')
        rules = Rule.search([('company', '=', None)])
        self.assertEqual(
            [(r.name, [(l.account_code, l.party and l.party.name)
                        for l in r.lines]) for r in rules], [
                ("URSSAF: cotisations sociales (431)", [('431', None)]),
                ("ASP: aide au poste reçue de l'État (4417)",
                    [('4417', "Agence de services et de paiement (ASP)")]),
                ("Salaires nets versés (421)", [('421', None)]),
                ])
        # The third line a net salary paid, to no member's account
        camt = read(CAMT)
        start = camt.index(b'<CdtrAcct>')
        end = camt.index(b'</CdtrAcct>') + len(b'</CdtrAcct>')
        salary = (camt[:start] + camt[end:]).replace(
            b'VIR SEPA SCOP', b'VIR SEPA SALAIRE 03/2026 M DUPONT')
        statement, = import_statement(salary, 'mars.xml')
        statement.apply_rules([statement])
        statement = statement.__class__(statement.id)
        self.assertEqual(
            [(l.amount, l.account.code, l.account.company, l.party)
                for l in statement.lines], [
                (D('250.00'), '4417', atelier.company, None),
                (D('-62.50'), '431', atelier.company, None),
                (D('-100.00'), '4210', atelier.company, None),
                ])
        # 4417 takes no party in the PCG (nor in the payroll's accrual of
        # the aid): the State's party of the rule is not kept on it
        statement.validate_statement([statement])
        totals = {}
        for line in MoveLine.search([('move.origin', '=', str(statement))]):
            debit, credit = totals.get(line.account.code, (0, 0))
            totals[line.account.code] = (
                debit + line.debit, credit + line.credit)
        self.assertEqual(totals, {
                '5121': (D('250.00'), D('162.50')),
                '4417': (D('0'), D('250.00')),
                '431': (D('62.50'), D('0')),
                '4210': (D('100.00'), D('0')),
                })

del ModuleTestCase
