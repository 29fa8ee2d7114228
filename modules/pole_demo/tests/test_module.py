# This file is part of Pôle.
"""The demo's builders, each on a small pôle with figures worked by hand;
the whole demo is built by scripts/build_demo.py (and tests/ builds a
reduced one for the access matrix)."""
import datetime as dt
from decimal import Decimal as D

from trytond.modules.company.tests import set_company
from trytond.modules.hub.tests.tools import create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from ..insertion import FIRST_NAMES


class PoleDemoTestCase(ModuleTestCase):
    "Test Pôle Demo module"
    module = 'pole_demo'
    # Every module, as scripts/demo activates them: the demo's optional
    # parts and the others beside (one database cached with the access
    # matrix's)
    extras = ['account_fr_association', 'hub_asset', 'hub_bank',
        'hub_bookkeeping', 'hub_consolidation', 'hub_dunning',
        'hub_einvoice', 'hub_funding', 'hub_invoicing', 'hub_payment',
        'hub_todo', 'insertion', 'insertion_payroll']

    def onboard(self, members, start=dt.date(2026, 1, 1),
            end=dt.date(2026, 12, 31), chart='account_fr.root'):
        "Onboard (key, name, SIRET, kind, VAT liable) on a fiscal year"
        pool = Pool()
        Member = pool.get('hub.member')
        ModelData = pool.get('ir.model.data')
        Template = pool.get('account.account.template')
        template = Template(ModelData.get_id(*chart.split('.', 1)))
        return {key: Member.onboard(
                    name, siret, kind, template, start, end,
                    vat_liable=vat_liable, collective=key == 'collective')
            for key, name, siret, kind, vat_liable in members}

    @with_transaction()
    def test_demo_france(self):
        """The demo creates every country once, named in French, and the
        wizard proposes France"""
        pool = Pool()
        Demo = pool.get('hub.demo')
        Country = pool.get('country.country')
        OnboardStart = pool.get('hub.member.onboard.start')
        self.assertIsNone(OnboardStart.default_country())

        france = Demo.build_france()
        count = Country.search([], count=True)
        self.assertEqual(Demo.build_france(), france)
        self.assertEqual(Country.search([], count=True), count)
        self.assertGreater(count, 240)
        self.assertEqual(OnboardStart.default_country(), france.id)
        with Transaction().set_context(language='fr'):
            self.assertEqual(
                [(c.code3, c.name) for c in Country.search(
                            [('code', 'in', ['DE', 'BE', 'FR'])],
                            order=[('code', 'ASC')])],
                [('BEL', "Belgique"), ('DEU', "Allemagne"),
                    ('FRA', "France")])
        with Transaction().set_context(language='en'):
            self.assertEqual(Country(Country.search(
                        [('code', '=', 'DE')])[0].id).name, "Germany")

        members = Demo.build_members([{
                    'key': 'jardins', 'name': "Les Jardins du Val",
                    'siret': '41234502700012', 'kind': 'aci',
                    'chart': 'account_fr.root', 'joined': '2020-01-01',
                    }], dt.date(2026, 11, 22))
        address, = members['jardins'].company.party.addresses
        self.assertEqual(address.country, france)

    @with_transaction()
    def test_demo_bank(self):
        """Each member gets a bank account with a valid IBAN made from its
        SIREN, found back by hub_bank, and its statement journal; once"""
        pool = Pool()
        Demo = pool.get('hub.demo')
        Member = pool.get('hub.member')
        BankAccount = pool.get('bank.account')
        StatementJournal = pool.get('account.statement.journal')
        members = self.onboard([
                ('atelier', "Atelier", '41234502700012', 'aci', False),
                ('scop', "SCOP", '41234503500015', 'ei', True),
                ])
        ibans = Demo.build_bank(members)
        # Bank 30004, branch 01234, account 412345027 00, RIB key
        # 97 - (89 * 30004 + 15 * 1234 + 3 * 41234502700) % 97 = 77
        # (2 670 356 + 18 510 + 123 703 508 100 = 123 706 196 966,
        # mod 97 = 20); the IBAN check digits 76 by ISO 7064 mod 97-10
        self.assertEqual(ibans['atelier'], 'FR7630004012344123450270077')
        for key, member in members.items():
            self.assertEqual(Member.from_iban(ibans[key]), member)
            journal, = StatementJournal.search(
                [('company', '=', member.company.id)])
            self.assertEqual(journal.account.code, '5121')
            self.assertEqual(journal.bank_account.bank.bic, 'BNPAFRPP')
        self.assertEqual(Demo.build_bank(members), ibans)
        self.assertEqual(len(BankAccount.search([])), 2)

    @with_transaction()
    def test_demo_assets(self):
        """The first ACI buys a van (18 000.00 over 60 months) and a tool
        (2 160.00 over 36 months) on 1 November 2025, the first of the
        twelve months before 22 November 2026; their depreciation is posted
        monthly to 31 October 2026; once"""
        pool = Pool()
        Demo = pool.get('hub.demo')
        Asset = pool.get('account.asset')
        Line = pool.get('account.move.line')
        members = self.onboard([
                ('atelier', "Atelier", '41234502700012', 'aci', False),
                ('scop', "SCOP", '41234503500015', 'ei', True),
                ])
        done = Demo.build_assets(members, dt.date(2026, 11, 22))
        # 12 months (November 2025 to October 2026) of 18 000 / 60 = 300.00
        # and of 2 160 / 36 = 60.00
        self.assertEqual([(value, posted) for _, value, posted in done],
            [(D('18000.00'), D('3600.00')), (D('2160.00'), D('720.00'))])
        van, tool = Asset.search([], order=[('id', 'ASC')])
        self.assertEqual((van.start_date, van.end_date, van.state),
            (dt.date(2025, 11, 1), dt.date(2030, 10, 31), 'running'))
        self.assertEqual(van.company, members['atelier'].company)

        def balance(code, year):
            return sum(l.debit - l.credit for l in Line.search([
                        ('account.code', '=', code),
                        ('move.state', '=', 'posted'),
                        ('move.date', '>=', dt.date(year, 1, 1)),
                        ('move.date', '<=', dt.date(year, 12, 31))]))
        # 2025: November and December, 2 × (300 + 60) = 720.00; 2026:
        # January to October, 10 × 360 = 3 600.00
        self.assertEqual(balance('68112', 2025), D('720.00'))
        self.assertEqual(balance('68112', 2026), D('3600.00'))
        self.assertEqual(balance('28182', 2026) + balance('28182', 2025),
            D('-3600.00'))
        self.assertEqual(balance('2154', 2025), D('2160.00'))

        self.assertEqual(Demo.build_assets(members, dt.date(2026, 11, 22)),
            [])
        self.assertEqual(len(Asset.search([])), 2)

    @with_transaction()
    def test_demo_income(self):
        """The demo posts each member's opening funds and its yearly income
        in twelve months on the bank (VAT on a VAT-liable member's sales),
        opening the fiscal year it needs; once"""
        pool = Pool()
        Demo = pool.get('hub.demo')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        FiscalYear = pool.get('account.fiscalyear')

        members = self.onboard([
                ('atelier', "Atelier", '41234502700012', 'aci', False),
                ('scop', "SCOP", '41234503500015', 'ei', True),
                ])
        values = {
            'atelier': {'funds': 1000, 'sales': 1000, 'subsidies': 600},
            'scop': {'sales': 1200},
            }
        # November 2025 to October 2026: 2025 is opened for both
        done = Demo.build_income(members, values, dt.date(2026, 11, 22))
        self.assertEqual(done, {'moves': 1 + 12 + 12 + 12,
                'total': D('2800.00')})

        def balances(member):
            result = {}
            for line in Line.search([
                        ('move.company', '=', member.company.id)]):
                code = line.account.code
                result[code] = (result.get(code, D(0))
                    + line.debit - line.credit)
            return result
        # 1000.00 of sales: 11 months of 83.33 and 83.37 in October
        self.assertEqual(balances(members['atelier']), {
                '5121': D('2600.00'), '10131': D('-1000.00'),
                '706': D('-1000.00'), '740': D('-600.00')})
        october = Line.search([
                ('move.company', '=', members['atelier'].company.id),
                ('account.code', '=', '706'),
                ('move.date', '=', dt.date(2026, 10, 31))])
        self.assertEqual([l.credit for l in october], [D('83.37')])
        # 100.00 a month and 20.00 of VAT
        self.assertEqual(balances(members['scop']), {
                '5121': D('1440.00'), '706': D('-1200.00'),
                '44571': D('-240.00')})
        self.assertEqual(
            sorted(f.name for f in FiscalYear.search([
                        ('company', '=', members['scop'].company.id)])),
            ['2025', '2026'])
        self.assertEqual(
            {m.state for m in Move.search([])}, {'posted'})

        # Once: a second build posts nothing more
        Demo.build_income(members, values, dt.date(2026, 11, 22))
        self.assertEqual(len(Move.search([])), 37)

        # Last year before November 2025, January to October, at 90 %:
        # the atelier's 83.33 and 50.00 a month make 75.00 and 45.00, the
        # SCOP's 100.00 makes 90.00 and 18.00 of VAT; once
        previous = Demo.build_previous_income(
            members, values, dt.date(2026, 11, 22))
        self.assertEqual(previous, {'moves': 3 * 10,
                'total': D('1200.00') + D('900.00')})
        self.assertEqual(balances(members['atelier']), {
                '5121': D('3800.00'), '10131': D('-1000.00'),
                '706': D('-1750.00'), '740': D('-1050.00')})
        self.assertEqual(balances(members['scop']), {
                '5121': D('2520.00'), '706': D('-2100.00'),
                '44571': D('-420.00')})
        january = Line.search([
                ('move.company', '=', members['scop'].company.id),
                ('account.code', '=', '706'),
                ('move.date', '=', dt.date(2025, 1, 31))])
        self.assertEqual([l.credit for l in january], [D('90.00')])
        self.assertEqual(Demo.build_previous_income(
                members, values, dt.date(2026, 11, 22))['moves'], 0)
        self.assertEqual(len(Move.search([])), 67)

    @with_transaction()
    def test_demo_sales_taxed(self):
        """The demo's sales of a VAT-liable member carry the 20 % tax lines:
        1 200.00 a year, 100.00 a month, 20.00 of VAT in box 08"""
        pool = Pool()
        Demo = pool.get('hub.demo')
        Member = pool.get('hub.member')
        Period = pool.get('account.period')
        TaxLine = pool.get('account.tax.line')
        scop = self.onboard(
            [('scop', "SCOP", '41234503500015', 'ei', True)],
            dt.date(2025, 1, 1), dt.date(2025, 12, 31))['scop']
        Demo.build_income({'scop': scop}, {'scop': {'sales': 1200}},
            dt.date(2025, 12, 15))
        # December 2024 to November 2025: 100.00 and 20.00 of VAT a month
        lines = TaxLine.search([('move_line.move.company', '=',
                    scop.company.id)])
        self.assertEqual(len(lines), 2 * 12)
        self.assertEqual(
            sum(l.amount for l in lines if l.type == 'tax'), D('240.00'))
        with set_company(scop.company):
            period = Period.find(
                scop.company, date=dt.date(2025, 11, 30))
            boxes = Member.ca3_boxes(period)
        self.assertEqual(boxes['08'], (D('100.00'), D('20.00')))
        self.assertEqual(boxes['28'], D('20.00'))

    @with_transaction()
    def test_demo_invoicing(self):
        """The demo maps the members, makes the collective's four services
        and bills the last complete month, once"""
        pool = Pool()
        Demo = pool.get('hub.demo')
        Invoice = pool.get('account.invoice')
        Mapping = pool.get('hub.invoicing.mapping')
        Service = pool.get('hub.service')

        members = self.onboard([
                ('collective', "Collectif", '41234501900019', 'other', False),
                ('jardins', "Jardins", '41234502700012', 'aci', False),
                ('recyclerie', "Recyclerie", '41234503500015', 'aci', False),
                ])
        today = dt.date(2026, 11, 22)
        done = Demo.build_invoicing(members, today)
        self.assertEqual(done['invoices'], 2)
        # October, shares jardins:recyclerie of the four services: 3:2 of
        # 4200.00, 1:1 of 1850.00, 2:1 of 2300.00 (1533.333 and 766.667:
        # the cent to the larger remainder) and 1:1 of 950.00
        totals = sorted((i.company.party.name, i.type, i.invoice_date,
                i.state, i.total_amount) for i in Invoice.search([]))
        self.assertEqual(totals, [
                ("Collectif", 'out', dt.date(2026, 10, 31), 'posted',
                    D('1680.00') + D('925.00') + D('766.67') + D('475.00')),
                ("Collectif", 'out', dt.date(2026, 10, 31), 'posted',
                    D('2520.00') + D('925.00') + D('1533.33') + D('475.00')),
                ("Jardins", 'in', dt.date(2026, 10, 31), 'posted',
                    D('5453.33')),
                ("Recyclerie", 'in', dt.date(2026, 10, 31), 'posted',
                    D('3846.67')),
                ])
        # The members' default mappings, made at onboarding, now posted;
        # the collective's left in draft
        self.assertEqual(sorted((m.target.rec_name, m.mirror_state)
                    for m in Mapping.search([])), [
                ("Collectif", 'draft'), ("Jardins", 'posted'),
                ("Recyclerie", 'posted')])
        # Once: a second build makes nothing more
        Demo.build_invoicing(members, today)
        self.assertEqual(
            (len(Invoice.search([])), len(Service.search([])),
                len(Mapping.search([]))),
            (4, 4, 3))

    def structure(self, name, kind, siret):
        "A member structure of kind, without its books"
        Member = Pool().get('hub.member')
        member = Member(company=create_company(name), kind=kind, siret=siret,
            joined=dt.date(2020, 1, 1))
        member.save()
        return member

    @with_transaction()
    def test_demo_insertion(self):
        "The demo builder makes people in each ACI, AI and EI, once"
        pool = Pool()
        Agreement = pool.get('insertion.agreement')
        Demo = pool.get('hub.demo')
        Contract = pool.get('insertion.contract')
        Exit = pool.get('insertion.exit')
        Profile = pool.get('insertion.employee.profile')
        today = pool.get('ir.date').today()
        members = {
            'aci': self.structure('aci', 'aci', '41234502700012'),
            'ai': self.structure('ai', 'ai', '41234503500015'),
            }
        done = Demo.build_insertion(members, today, people=12)
        self.assertEqual(
            sum(d['people'] for d in done.values()), 12)
        # Every AF of the ACI and the AI has its aid, unconfirmed where the
        # rate is not published (2025 on)
        agreements = Agreement.search([])
        self.assertEqual(
            {a.measure for a in agreements}, {'aci', 'ai'})
        self.assertTrue(all(
                a.state == 'valid' and a.total_aid for a in agreements))
        if today >= dt.date(2025, 1, 1):
            self.assertFalse(all(a.rate_confirmed for a in agreements))
        contracts = Contract.search([])
        self.assertEqual(
            len(contracts),
            sum(d['contracts'] + d['renewals'] for d in done.values()))
        self.assertEqual(
            len(Exit.search([])), sum(d['exits'] for d in done.values()))
        # Each person's gender is that of the first name
        genders = {n: g for g, names in FIRST_NAMES.items() for n in names}
        profiles = Profile.search([])
        self.assertEqual(len(profiles), 12)
        self.assertEqual(
            [(p.employee.party.name, p.gender) for p in profiles],
            [(p.employee.party.name,
                    genders[p.employee.party.name.split(' ', 1)[0]])
                for p in profiles])
        self.assertEqual(
            Demo.build_insertion(members, today, people=12),
            {'skipped': True})

    def test_first_names(self):
        "A first name is of one gender only, and both have as many"
        female, male = FIRST_NAMES['female'], FIRST_NAMES['male']
        self.assertEqual(set(female) & set(male), set())
        self.assertEqual(len(female), len(male))
        self.assertEqual(len(set(female + male)), len(female + male))
        for name in ["Amina", "Chloé", "Hélène", "Martine"]:
            self.assertIn(name, female)
        for name in ["Bernard", "Georges", "Karim", "Thierry"]:
            self.assertIn(name, male)


del ModuleTestCase
