# This file is part of Pôle.
import datetime as dt

from trytond.i18n import gettext
from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from ..exceptions import BankAccountError

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
# Valid French IBANs (check digits 76 and 14), as a RIB prints them
IBAN_ATELIER = 'FR76 3000 6000 0112 3456 7890 189'
IBAN_SCOP = 'FR14 2004 1010 0505 0001 3M02 606'


def chart():
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    Template = pool.get('account.account.template')
    return Template(ModelData.get_id('account_fr', 'root'))


def load_french():
    "French translations loaded, as trytond-admin -l fr does"
    Lang = Pool().get('ir.lang')
    french, = Lang.search([('code', '=', 'fr')])
    Lang.write([french], {'translatable': True})
    Lang.load_translations([french])


def onboard(name, siret, **kwargs):
    Member = Pool().get('hub.member')
    return Member.onboard(
        name, siret, 'aci', chart(), START, END, **kwargs)


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
    wizard.start.account_template = chart()
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


class HubBankTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Hub Bank module"
    module = 'hub_bank'

    @property
    def _skip_company_rule(self):
        return super()._skip_company_rule | {
            ('hub.configuration', 'collective'),
            ('hub.member', 'company'),
            }

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


del ModuleTestCase
