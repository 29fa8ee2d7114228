# This file is part of Pôle.
import datetime as dt
from decimal import Decimal

from trytond import backend
from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.company.tests import set_company
from trytond.model.exceptions import AccessError, RequiredValidationError
from trytond.modules.insertion.tests import InsertionTestMixin
from trytond.pool import Pool
from trytond.model import ModelSQL
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from ..exceptions import (
    PayrollImportError, PayrollLineError, PayrollPostError)

D = dt.date
HEADER = ('mois;matricule;heures_payees;heures_travaillees;brut;'
    'cotisations_salariales;cotisations_patronales;net;impot_preleve;'
    'primes;action\n')

# The hand-worked month of an ACI with 10 CDDI: 8 at 26 h a week, 2 at 35 h.
# Hours paid a month: 26 h x 52 / 12 = 112.67 h, 35 h: 151.67 h; SMIC of the
# example 11.81 EUR/h: 112.67 x 11.81 = 1 330.63, 151.67 x 11.81 = 1 791.22.
#   A1..A8: gross 1 330.63 - contributions 292.74 - tax 0 = net 1 037.89,
#           employer contributions 95.00 (after the reductions)
#   B1:     gross 1 891.22 of which bonus 100.00 - 416.07 - tax 12.50
#           = net 1 462.65, employer 128.00
#   B2:     gross 1 791.22 - 394.07 - 0 = net 1 397.15, employer 128.00
# A1..A5 on the action MARAI (market gardening), the others on EV (green
# spaces).
MONTH = [
    ('A%s' % i, '112,67', '110,00', '1330,63', '292,74', '95,00',
        '1037,89', '0', '0', 'MARAI' if i <= 5 else 'EV')
    for i in range(1, 9)] + [
    ('B1', '151,67', '147,00', '1891,22', '416,07', '128,00', '1462,65',
        '12,50', '100,00', 'EV'),
    ('B2', '151,67', '147,00', '1791,22', '394,07', '128,00', '1397,15',
        '0', '0', 'EV'),
    ]


def csv_file(rows, month='2026-03', sep=';', encoding='utf-8'):
    text = HEADER.replace(';', sep)
    for row in rows:
        if sep == ',':
            row = ['"%s"' % v for v in row]
        text += sep.join([month, *row]) + '\n'
    return text.encode(encoding)


class InsertionPayrollTestCase(InsertionTestMixin, ModuleTestCase):
    "Test Insertion Payroll module"
    module = 'insertion_payroll'
    extras = ['hub_invoicing', 'hub_consolidation']

    @property
    def _skip_company_rule(self):
        return super()._skip_company_rule | {
            ('insertion.payroll.import.start', 'company'),
            }

    def staff(self, company, codes, start=D(2026, 1, 1),
            end=D(2026, 12, 31)):
        "A CDDI for each party code: B* at 35 h, the others at 26 h"
        contracts = {}
        for code in codes:
            employee, _ = self.person(company, "Salarié %s" % code,
                pass_start=start, code=code)
            contracts[code] = self.contract(employee, start, end,
                hours=35 if code.startswith('B') else 26)
        return contracts

    def actions(self, company):
        Analytic = Pool().get('analytic_account.account')
        root = Analytic(name="Actions", code='ACTIONS', type='root',
            company=company, state='opened')
        root.save()
        result = {}
        for code, name in [('MARAI', "Maraîchage"), ('EV', "Espaces verts")]:
            account = Analytic(name=name, code=code, type='normal',
                root=root, parent=root, company=company, state='opened')
            account.save()
            result[code] = account
        return result

    def agreement(self, company, etp='8', modulation='5'):
        pool = Pool()
        Rate = pool.get('insertion.aid.rate')
        Agreement = pool.get('insertion.agreement')
        # A rate published for 2026 (the example's figure)
        Rate(measure='aci', start_date=D(2026, 1, 1), amount=Decimal(24000),
            confirmed=True, reference_hours=Decimal(1820)).save()
        agreement = Agreement(company=company, number='ACI051260013A0M0',
            measure='aci', start_date=D(2026, 1, 1), end_date=D(2026, 12, 31),
            etp=Decimal(etp), reference_hours=Decimal(1820),
            modulation=Decimal(modulation))
        agreement.save()
        Agreement.validate_agreement([agreement])
        return agreement

    def books(self, company, year=2026):
        "A small chart with the payroll accounts and the year (2026)"
        pool = Pool()
        Account = pool.get('account.account')
        Type = pool.get('account.account.type')
        FiscalYear = pool.get('account.fiscalyear')
        create_chart(company)
        expense, = Type.search([
                ('company', '=', company.id), ('expense', '=', True)],
            limit=1)
        revenue, = Type.search([
                ('company', '=', company.id), ('revenue', '=', True)],
            limit=1)
        liability = Type(name="Payroll", company=company,
            statement='balance')
        liability.save()
        for code, type_ in [('6411', expense), ('6413', expense),
                ('6451', expense), ('421', liability), ('431', liability),
                ('4421', liability), ('74', revenue), ('4417', liability)]:
            Account(name=code, code=code, type=type_,
                company=company).save()
        fiscalyear = get_fiscalyear(
            company, start_date=D(year, 1, 1), end_date=D(year, 12, 31))
        fiscalyear.save()
        FiscalYear.create_period([fiscalyear])

    @with_transaction()
    def test_configuration_french_charts(self):
        """The configuration made at a member's first payroll posting on
        the real charts, which close 421 and 74 to be detailed: their first
        open sub-account (741 in the association chart), else a new one
        under the closed account (4210, 740)"""
        pool = Pool()
        Account = pool.get('account.account')
        Configuration = pool.get('insertion.payroll.configuration')
        Member = pool.get('hub.member')
        ModelData = pool.get('ir.model.data')
        Template = pool.get('account.account.template')
        year = (D(2026, 1, 1), D(2026, 12, 31))
        codes = {}
        for name, siret, template in [
                ("Atelier", '41234502700012', 'account_fr.root'),
                ("Jardins", '41234503500015', 'account_fr_association.root'),
                ]:
            template = Template(ModelData.get_id(*template.split('.')))
            member = Member.onboard(name, siret, 'aci', template, *year)
            config = Configuration.get(member.company)
            codes[name] = [getattr(config, 'account_' + n).code for n in [
                    'salary', 'bonus', 'employer', 'net', 'social', 'tax',
                    'aid_income', 'aid_receivable']]
            # Once: the second call finds it
            self.assertEqual(Configuration.get(member.company), config)
            net, = Account.search([('company', '=', member.company.id),
                    ('code', '=', config.account_net.code)])
            self.assertEqual((net.parent.code, net.name, net.type),
                ('421', net.parent.name, net.parent.type))
        self.assertEqual(codes, {
                "Atelier": ['6411', '6413', '6451', '4210', '431', '4421',
                    '740', '4417'],
                "Jardins": ['6411', '6413', '6451', '4210', '431', '4421',
                    '741', '4417'],
                })

    @with_transaction()
    def test_hand_worked_month(self):
        "An ACI month of 10 contracts: hours, ETP, aid and the journal entry"
        pool = Pool()
        Import = pool.get('insertion.payroll.import')
        Line = pool.get('insertion.payroll.line')
        MoveLine = pool.get('account.move.line')
        Etp = pool.get('insertion.payroll.etp')
        company = self.structure()
        with set_company(company):
            self.books(company)
            self.staff(company, [r[0] for r in MONTH])
            self.actions(company)
            agreement = self.agreement(company)

            import_ = Import.import_file(company, csv_file(MONTH), 'mars.csv')
            lines = Line.search([('import_', '=', import_.id)])
            self.assertEqual(len(lines), 10)
            # The buttons of the import: validate, then post the file
            Import.validate_lines([import_])
            self.assertEqual({l.state for l in lines}, {'validated'})
            Import.post_lines([import_])
            self.assertEqual({l.state for l in lines}, {'posted'})
            move, = {l.move for l in lines}
            self.assertEqual(move.state, 'posted')
            self.assertEqual(move.date, D(2026, 3, 31))

            # Debits: 6411 = gross 14 327.48 - bonus 100 = 14 227.48,
            # 6413 bonus 100.00, 6451 employer 8 x 95 + 2 x 128 = 1 016.00;
            # credits: 421 net 11 162.92, 431 contributions 3 152.06
            # + 1 016.00 = 4 168.06, 4421 tax 12.50.  Total 15 343.48.
            totals = {}
            for line in move.lines:
                totals.setdefault(line.account.code, Decimal(0))
                totals[line.account.code] += line.debit - line.credit
            self.assertEqual(totals, {
                    '6411': Decimal('14227.48'), '6413': Decimal('100.00'),
                    '6451': Decimal('1016.00'), '421': Decimal('-11162.92'),
                    '431': Decimal('-4168.06'), '4421': Decimal('-12.50')})
            # Analytic split: 6411 MARAI 5 x 1 330.63 = 6 653.15, EV the
            # rest 7 574.33; 6451 MARAI 5 x 95 = 475.00, EV 541.00
            split = {}
            for line in MoveLine.search([('move', '=', move.id)]):
                for aline in line.analytic_lines:
                    key = (line.account.code, aline.account.code)
                    split[key] = split.get(key, 0) + aline.debit
            self.assertEqual(split, {
                    ('6411', 'MARAI'): Decimal('6653.15'),
                    ('6411', 'EV'): Decimal('7574.33'),
                    ('6413', 'EV'): Decimal('100.00'),
                    ('6451', 'MARAI'): Decimal('475.00'),
                    ('6451', 'EV'): Decimal('541.00')})

            # ETP: hours paid 8 x 112.67 + 2 x 151.67 = 1 204.70;
            # 1 204.70 / 1 820 = 0.6619 ETP.  Aid: 24 000 x 1.05 = 25 200 per
            # ETP and year; 1 204.70 / 1 820 x 25 200 = 16 680.46
            row, = Etp.search([('agreement', '=', agreement.id)])
            self.assertEqual(row.month, D(2026, 3, 1))
            self.assertEqual(row.hours, Decimal('1204.70'))
            self.assertEqual(row.etp, Decimal('0.6619'))
            self.assertEqual(row.aid_accrued, Decimal('16680.46'))
            # The directors' dashboard at 31 March: ETP consumed since
            # 1 January = nothing in January and February + 0.6619 in March
            # = 0.6619, against 8 ETP conventioned x 3 months / 12 = 2.0000;
            # at 15 March the month counts whole as well (same figures); at
            # 28 February nothing consumed against 8 x 2 / 12 = 1.3333
            Dashboard = pool.get('hub.consolidation.dashboard')
            for date, figures in [
                    (D(2026, 3, 31), (Decimal('0.6619'), Decimal('2.0000'))),
                    (D(2026, 3, 15), (Decimal('0.6619'), Decimal('2.0000'))),
                    (D(2026, 2, 28), (Decimal('0.0000'), Decimal('1.3333'))),
                    ]:
                self.assertEqual([(l['name'], l['value'], l['previous'])
                        for l in Dashboard.compute(date)['lines']
                        if l['kind'] == 'etp'],
                    [("Jardins", *figures)])
            # The aid is posted as income against the State receivable
            accrual = agreement.accrue_aid(D(2026, 3, 1))
            self.assertEqual(accrual.amount, Decimal('16680.46'))
            self.assertEqual(sorted(
                    (l.account.code, l.debit, l.credit)
                    for l in accrual.move.lines), [
                    ('4417', Decimal('16680.46'), Decimal(0)),
                    ('74', Decimal(0), Decimal('16680.46'))])
            with self.refused(PayrollPostError, '03/2026'):
                agreement.accrue_aid(D(2026, 3, 1))
            # The ASP pays 1/12 of 8 ETP x 25 200 = 201 600.00: 16 800.00;
            # regularisation 16 680.46 - 16 800.00 = -119.54 to pay back
            agreement.record_monthly_payment(D(2026, 3, 1))
            agreement = agreement.__class__(agreement.id)
            self.assertEqual(agreement.aid_received, Decimal('16800.00'))
            self.assertEqual(agreement.aid_regularisation, Decimal('-119.54'))
            row, = Etp.search([('agreement', '=', agreement.id)])
            self.assertEqual(row.aid_received, Decimal('16800.00'))

            # On hours worked: 8 x 110 + 2 x 147 = 1 174 h = 0.6451 ETP
            agreement.__class__.draft([agreement])
            agreement.hours_basis = 'worked'
            agreement.save()
            agreement.__class__.validate_agreement([agreement])
            row, = Etp.search([('agreement', '=', agreement.id)])
            self.assertEqual(row.hours, Decimal('1174.00'))
            self.assertEqual(row.etp, Decimal('0.6451'))

            # The month is posted: a second post of it is refused
            with self.refused(PayrollPostError, '03/2026'):
                extra = Line(company=company, contract=lines[0].contract,
                    employee=lines[0].employee, month=D(2026, 3, 1),
                    correction=True, hours_paid=0, hours_worked=0,
                    gross=Decimal(10), employee_contributions=Decimal(2),
                    employer_contributions=0, net=Decimal(8), tax=0)
                extra.save()
                Line.validate_line([extra])
                Line.post([extra])

    @with_transaction()
    def test_import_rules(self):
        "Every bad line is reported with its number and nothing is written"
        pool = Pool()
        Import = pool.get('insertion.payroll.import')
        Line = pool.get('insertion.payroll.line')
        company = self.structure()
        with set_company(company):
            self.staff(company, ['A1', 'A2'])
            self.staff(company, ['C1'], start=D(2026, 1, 1),
                end=D(2026, 4, 30))
            self.actions(company)
            Import.import_file(company, csv_file([
                        ('A2', '112,67', '110', '1000', '200', '50', '800',
                            '0', '0', 'EV')], month='2026-02'))
            good = ('A1', '112,67', '110', '1000', '200', '50', '800',
                '0', '0', 'EV')
            rows = [
                good,                                           # line 2
                ('ZZ9',) + good[1:],                            # 3 unknown
                ('C1',) + good[1:],                             # 4 outside
                ('A1', '-1') + good[2:],                        # 5 negative
                ('A2', '251') + good[2:],                       # 6 > 250 h
                good[:6] + ('799,98',) + good[7:],              # 7 net
                ('A2',) + good[1:],                             # 8 month
                good,                                           # 9 twice
                good[:9] + ('NOPE',),                           # 10 action
                ]
            text = csv_file(rows, month='2026-05')
            # line 8 is A2's May; give A2 its February a second time
            text = text.replace(b'2026-05;A2;112,67', b'2026-02;A2;112,67')
            with self.refused(PayrollImportError, 'Nothing') as cm:
                Import.import_file(company, text)
            message = cm.exception.message
            for expected in [
                    'Line 3, column matricule: no employee of the structure '
                    'has the number "ZZ9"',
                    'Line 4, column mois: the month 05/2026 is outside the '
                    'contracts',
                    'Line 5, column heures_payees: -1 hours in a month is '
                    'impossible',
                    'Line 6, column heures_payees: 251 hours in a month is '
                    'impossible',
                    'Line 7, column net: gross 1 000,00 - contributions '
                    '200,00 - tax 0,00 = 800,00, not the net pay 799,98',
                    'Line 8, column mois: the month 02/2026 of "Salarié A2" '
                    'is already imported',
                    'Line 9, column mois: the month 05/2026 of "Salarié A1" '
                    'is already on line 2',
                    'Line 10, column action: no action of the structure has '
                    'the code "NOPE"',
                    ]:
                self.assertIn(expected, message)
            self.assertNotIn('Line 2,', message)
            # In the order of the file
            self.assertLess(
                message.index('Line 9,'), message.index('Line 10,'))
            self.assertIn('8 lines', message)
            self.assertEqual(Line.search_count([]), 1)
            self.assertEqual(Import.search_count([]), 1)

    @with_transaction()
    def test_import_formats_idempotent(self):
        "Comma separator, Latin-1 and decimal comma; a second import is void"
        pool = Pool()
        Import = pool.get('insertion.payroll.import')
        Line = pool.get('insertion.payroll.line')
        company = self.structure()
        with set_company(company):
            self.staff(company, ['A1', 'B1'])
            data = csv_file([
                    ('A1', '112,67', '110', '1330,63', '292,74', '95',
                        '1037,89', '0', '0', ''),
                    ('B1', '151,67', '147', '1 791,22', '394,07', '128',
                        '1397,15', '0', '0', ''),
                    ], sep=',', encoding='latin-1')
            self.assertTrue(Import.import_file(company, data))
            b1, = Line.search([('employee.party.code', '=', 'B1')])
            self.assertEqual(b1.gross, Decimal('1791.22'))
            self.assertEqual(b1.hours_paid, Decimal('151.67'))
            self.assertIsNone(Import.import_file(company, data))
            self.assertEqual(Line.search_count([]), 2)

    @with_transaction()
    def test_projection(self):
        "ETP consumed against conventioned pro rata and projected"
        pool = Pool()
        Import = pool.get('insertion.payroll.import')
        Line = pool.get('insertion.payroll.line')
        company = self.structure()
        with set_company(company):
            self.staff(company, ['A1', 'A2', 'A3'])
            agreement = self.agreement(company, etp='1')
            # 3 people x 3 months x 113.75 h paid = 1 023.75 h
            # = 1 023.75 / 1 820 = 0.5625 ETP in 3 months;
            # expected pro rata: 1 x 3 / 12 = 0.25; projection
            # 0.5625 x 12 / 3 = 2.25 ETP, 225 % of 1 ETP: alert "over"
            for month in ['2026-01', '2026-02', '2026-03']:
                Import.import_file(company, csv_file([
                            (c, '113,75', '113,75', '1000', '200', '50',
                                '800', '0', '0', '')
                            for c in ['A1', 'A2', 'A3']], month=month))
            Line.validate_line(Line.search([]))
            status = agreement.etp_status(D(2026, 3, 31))
            self.assertEqual(status['months'], 3)
            self.assertEqual(status['consumed'], Decimal('0.5625'))
            self.assertEqual(status['expected'], Decimal('0.25'))
            self.assertEqual(status['projection'], Decimal('2.25'))
            self.assertEqual(status['alert'], 'over')
            with Transaction().set_context(date=D(2026, 3, 31)):
                shown = agreement.__class__(agreement.id)
                self.assertEqual(
                    (shown.etp_consumed, shown.etp_expected,
                        shown.etp_projection, shown.etp_alert),
                    (Decimal('0.5625'), Decimal('0.2500'), Decimal('2.2500'),
                        'over'))
            # With 3 ETP conventioned the projection is 75 %: "under"
            agreement.__class__.draft([agreement])
            agreement.etp = Decimal(3)
            agreement.save()
            self.assertEqual(
                agreement.etp_status(D(2026, 3, 31))['alert'], 'under')
            agreement.etp = Decimal('2.2')  # 2.25 / 2.2 = 102 %: no alert
            agreement.save()
            self.assertIsNone(agreement.etp_status(D(2026, 3, 31))['alert'])

    @with_transaction()
    def test_etp_row_ids(self):
        """Two AFs over the same months get one ETP row per AF and month,
        each with its own id, even with ids past 1 000 and very large ones"""
        pool = Pool()
        Agreement = pool.get('insertion.agreement')
        Etp = pool.get('insertion.payroll.etp')
        Line = pool.get('insertion.payroll.line')
        Import = pool.get('insertion.payroll.import')
        transaction = Transaction()
        database, connection = transaction.database, transaction.connection
        company = self.structure()
        with set_company(company):
            self.staff(company, ['A1'])
            aci = self.agreement(company)
            # The second AF takes an id 1 000 above the first: with the old
            # id (first line id x 1000 + AF id) its January row met the
            # ACI's February row, whose first line id is one more.
            # (setnextid: the next id is the value on SQLite, one more on
            # PostgreSQL)
            shift = 1 if backend.name == 'postgresql' else 0
            database.setnextid(
                connection, Agreement._table, aci.id + 1000 - shift)
            ai = Agreement(company=company, number='AI051260013A0M0',
                measure='ai', start_date=D(2026, 1, 1),
                end_date=D(2026, 12, 31), etp=Decimal(1),
                reference_hours=Decimal(1607), modulation=Decimal(0))
            ai.save()
            self.assertEqual(ai.id, aci.id + 1000)
            for month in ['2026-01', '2026-02']:
                Import.import_file(company, csv_file([
                            ('A1', '112,67', '110', '1000', '200', '50',
                                '800', '0', '0', '')], month=month))
            # An AF with a very large id (the pairing stays in 64 bits)
            database.setnextid(connection, Agreement._table, 90_000_000)
            big = Agreement(company=company, number='EI051260013A0M0',
                measure='ei', start_date=D(2026, 2, 1),
                end_date=D(2026, 12, 31), etp=Decimal(1),
                reference_hours=Decimal(1505), modulation=Decimal(0))
            big.save()
            Agreement.validate_agreement([ai, big])
            Line.validate_line(Line.search([]))
            rows = Etp.search([])
            self.assertEqual(len({r.id for r in rows}), 5)
            self.assertEqual(sorted(
                    (r.agreement.number, r.month, r.hours) for r in rows), [
                    ('ACI051260013A0M0', D(2026, 1, 1), Decimal('112.67')),
                    ('ACI051260013A0M0', D(2026, 2, 1), Decimal('112.67')),
                    ('AI051260013A0M0', D(2026, 1, 1), Decimal('112.67')),
                    ('AI051260013A0M0', D(2026, 2, 1), Decimal('112.67')),
                    ('EI051260013A0M0', D(2026, 2, 1), Decimal('112.67')),
                    ])
            # Each id reads back its own row: AI's 1 607 h make 0.0701 ETP
            row, = Etp.search([
                    ('agreement', '=', ai.id), ('month', '=', D(2026, 1, 1))])
            self.assertEqual(Etp(row.id).etp, Decimal('0.0701'))
            # The EI row's id: id² + id + 24 313 (02/2026), about 8.1 × 10¹⁵
            self.assertGreaterEqual(big.id, 90_000_000)
            row, = Etp.search([('agreement', '=', big.id)])
            self.assertEqual(row.id, big.id ** 2 + big.id + 24313)


    @with_transaction()
    def test_shared_employee_hours(self):
        "A shared employee's hours split between structures, from payroll"
        pool = Pool()
        Member = pool.get('hub.member')
        Line = pool.get('insertion.payroll.line')
        Shared = pool.get('insertion.payroll.shared')
        Contract = pool.get('insertion.contract')
        employer = self.structure("Collectif", 'other', '41234501900019')
        jardins = self.structure()
        recyclerie = self.structure("Recyclerie", 'aci', '41234503500015')
        members = Member.search([('company', 'in',
                    [employer.id, jardins.id, recyclerie.id])])
        by_company = {m.company: m for m in members}
        with set_company(employer):
            Employee = pool.get('company.employee')
            Party = pool.get('party.party')
            party = Party(name="Animateur informatique", code='IT1')
            party.save()
            employee = Employee(company=employer, party=party)
            employee.save()
            contract = Contract(company=employer, employee=employee,
                kind='cdi', start_date=D(2025, 1, 1),
                weekly_hours=Decimal(35))
            contract.save()
            line = Line(company=employer, contract=contract,
                employee=employee, month=D(2026, 3, 1),
                hours_paid=Decimal('151.67'), hours_worked=Decimal(140),
                gross=Decimal(2500), employee_contributions=Decimal(550),
                employer_contributions=Decimal(700), net=Decimal(1950),
                tax=0)
            line.save()
            Line.validate_line([line])
            # March: 40 % for the Jardins, 30 h for the Recyclerie, the rest
            # for the collective itself (not recorded)
            Shared.create([{
                        'company': employer.id, 'employee': employee.id,
                        'month': D(2026, 3, 1),
                        'member': by_company[jardins].id,
                        'percentage': Decimal(40),
                        }, {
                        'company': employer.id, 'employee': employee.id,
                        'month': D(2026, 3, 1),
                        'member': by_company[recyclerie].id,
                        'hours': Decimal(30),
                        }])
            # 40 % x 151.67 h paid = 60.668 -> 60.67 h; 30 h
            hours = Shared.hours_by_member(
                D(2026, 1, 1), D(2026, 3, 31), members, employee=employee)
            self.assertEqual(hours, {
                    by_company[jardins].id: Decimal('60.67'),
                    by_company[recyclerie].id: Decimal('30.00')})
            # Nothing before March
            self.assertEqual(Shared.hours_by_member(
                    D(2026, 1, 1), D(2026, 2, 28), members), {})

            # The collective recharges the shared facilitator's 1 000.00 of
            # March by his hours: Jardins 60.67 / 90.67 x 1 000 = 669.1298,
            # Recyclerie 30 / 90.67 x 1 000 = 330.8702; rounded down 669.12
            # and 330.87, the cent left goes to the largest remainder:
            # 669.13 + 330.87 = 1 000.00
            Account = pool.get('account.account')
            Service = pool.get('hub.service')
            Run = pool.get('hub.billing.run')
            create_chart(employer)
            revenue, = Account.search([
                    ('company', '=', employer.id),
                    ('type.revenue', '=', True)], limit=1)
            service = Service(name="Animation informatique",
                company=employer, cost=Decimal(1000), periodicity='month',
                key='shared_hours', shared_employee=employee,
                account=revenue)
            service.save()
            run = Run.get_run(employer, 'month', D(2026, 3, 1))
            run._allocate()
            self.assertEqual(sorted(
                    (l.member.company.rec_name, l.key_value, l.amount)
                    for l in run.lines), [
                    ("Jardins", Decimal('60.67'), Decimal('669.13')),
                    ("Recyclerie", Decimal('30.00'), Decimal('330.87'))])
            # "ETP from payroll": the hours paid of each structure's payroll
            service.key = 'payroll_etp'
            self.assertEqual(service.key_values(
                    D(2026, 3, 1), D(2026, 3, 31), members), {
                    by_company[employer]: Decimal('151.67'),
                    by_company[jardins]: Decimal(0),
                    by_company[recyclerie]: Decimal(0)})

            with self.refused(PayrollLineError, 'either in hours'):
                Shared.create([{
                            'company': employer.id,
                            'employee': employee.id,
                            'month': D(2026, 4, 1),
                            'member': by_company[jardins].id,
                            'hours': Decimal(3),
                            'percentage': Decimal(3),
                            }])

    # Access ------------------------------------------------------------

    def user(self, login, role, companies, company_filter='one'):
        """A user of the role (hub's XML id unless it names its module)
        working in the first of companies"""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        UserRole = pool.get('res.user.role')
        module, _, name = role.rpartition('.')
        user = User(login=login, name=login, companies=companies,
            company=companies[0], company_filter=company_filter,
            roles=[UserRole(role=ModelData.get_id(module or 'hub', name))])
        user.save()
        return user

    def as_user(self, user):
        "As a client of user: its context, access checked"
        transaction = Transaction()
        return transaction.set_user(user.id), transaction.set_context(
            company=user.company.id, _check_access=True)

    def count(self, model):
        "Rows of the model's table, in SQL"
        table = Pool().get(model).__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id))
        return len(cursor.fetchall())

    @with_transaction()
    def test_import_company_access(self):
        """The payroll import takes only a company the user works in: an
        accountant working in A is refused B's file (nothing written), and
        imports it once working in every member; directors may not import"""
        pool = Pool()
        Import = pool.get('insertion.payroll.import')
        ImportWizard = pool.get(
            'insertion.payroll.import.wizard', type='wizard')
        User = pool.get('res.user')
        jardins = self.structure()
        recyclerie = self.structure("Recyclerie", siret='41234503500015')
        with set_company(recyclerie):
            self.staff(recyclerie, ['B1'])
        accountant = self.user(
            'comptable', 'role_accountant', [jardins, recyclerie])
        director = self.user('direction', 'role_director', [jardins])
        data = csv_file([('B1', '151,67', '147,00', '1791,22', '394,07',
                    '128,00', '1397,15', '0', '0', '')])

        set_user, set_context = self.as_user(accountant)
        with set_user, set_context:
            with self.refused(AccessError,
                    'You are not allowed to import the payroll of "Recyclerie"'):
                Import.import_file(recyclerie, data, 'b.csv')
            # The wizard, as the client runs it
            session_id, _, _ = ImportWizard.create()
            wizard = ImportWizard(session_id)
            wizard.start.company = recyclerie
            wizard.start.file = data
            wizard.start.filename = 'b.csv'
            with self.refused(AccessError, '"Recyclerie"'):
                wizard.transition_import_()
        self.assertEqual(
            (self.count('insertion.payroll.import'),
                self.count('insertion.payroll.line')), (0, 0))

        set_user, set_context = self.as_user(director)
        with set_user, set_context:
            with self.refused(AccessError, 'wizard'):
                ImportWizard.create()

        # Working in every member (company filter "All"): imported, one
        # line of 1 791.22 gross in B's books
        User.write([accountant], {'company_filter': 'all'})
        set_user, set_context = self.as_user(accountant)
        with set_user, set_context:
            import_ = Import.import_file(recyclerie, data, 'b.csv')
            line, = import_.lines
            self.assertEqual(
                (line.company, line.employee.party.code, line.gross),
                (recyclerie, 'B1', Decimal('1791.22')))

    @with_transaction()
    def test_access_by_role(self):
        """What each role may do on the payroll models: the lines, imports
        and the import for the accountants only; ETP and aid read by the
        directors and the board; the ETP read by the counsellors too (their
        graph), nothing else"""
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        company = self.structure()
        models = [
            'insertion.payroll.line', 'insertion.payroll.import',
            'insertion.payroll.etp', 'insertion.payroll.aid.accrual',
            'insertion.payroll.aid.payment', 'insertion.payroll.shared',
            'insertion.payroll.configuration']
        expected = {
            # line, import, etp, accrual, payment, shared, configuration
            'role_accountant': [
                'rwcd', 'rwcd', 'r', 'r', 'rwcd', 'rwcd', 'rwcd'],
            'role_director': ['', '', 'r', 'r', 'r', 'r', 'r'],
            'role_board': ['', '', 'r', 'r', 'r', '', ''],
            'insertion.role_counsellor': ['', '', 'r', '', '', '', ''],
            }
        for role, perms in expected.items():
            user = self.user(role, role, [company])
            set_user, set_context = self.as_user(user)
            with set_user, set_context:
                access = ModelAccess.get_access(models)
            self.assertEqual(
                [''.join(p[0] for p in ['read', 'write', 'create', 'delete']
                        if access[m][p]) for m in models],
                perms, role)

    @with_transaction()
    def test_aid_rate_change_in_year(self):
        """An ACI AF of 2024: each month's aid at its month's rate (23 458
        to October, 23 921 from 2024-11-01), frozen at validation"""
        pool = Pool()
        Import = pool.get('insertion.payroll.import')
        Agreement = pool.get('insertion.agreement')
        Rate = pool.get('insertion.aid.rate')
        Etp = pool.get('insertion.payroll.etp')
        company = self.structure()
        with set_company(company):
            self.books(company, 2024)
            self.staff(company, ['B1', 'B2'],
                start=D(2024, 1, 1), end=D(2024, 12, 31))
            self.actions(company)
            # The rates of rate.xml: 23 458 from 2024-01-01 and 23 921
            # from 2024-11-01
            agreement = Agreement(company=company, number='ACI051240013A0M0',
                measure='aci', start_date=D(2024, 1, 1),
                end_date=D(2024, 12, 31), etp=Decimal(2),
                reference_hours=Decimal(1820), modulation=Decimal(5))
            agreement.save()
            Agreement.validate_agreement([agreement])
            # Every month B1 and B2 at 35 h: 2 x 151.67 = 303.34 h paid
            for month in range(1, 13):
                import_ = Import.import_file(company,
                    csv_file(MONTH[8:], month='2024-%02d' % month),
                    'paie-%02d.csv' % month)
                Import.validate_lines([import_])

            # ETP 303.34 / 1 820 a month; aid = hours / 1 820 x rate x 1.05:
            # January to October 303.34 x 24 630.90 / 1 820
            # = 7 471 537.2060 / 1 820 = 4 105.2402 -> 4 105.24;
            # November and December 303.34 x 25 117.05 / 1 820
            # = 7 619 005.9470 / 1 820 = 4 186.2670 -> 4 186.27
            # (the yearly average 23 535.1667 would give 4 118.73 each month)
            expected = [(D(2024, m, 1), Decimal('303.34'),
                    Decimal('4105.24') if m <= 10 else Decimal('4186.27'))
                for m in range(1, 13)]

            def figures():
                agreement_ = Agreement(agreement.id)
                by_month = [(m, h, a)
                    for m, h, _, a in agreement_.etp_by_month()]
                rows = [(r.month, r.hours, r.aid_accrued)
                    for r in Etp.search([('agreement', '=', agreement.id)])]
                return agreement_, by_month, rows
            agreement, by_month, rows = figures()
            self.assertEqual(by_month, expected)
            self.assertEqual(rows, expected)
            # The AF's aid, the sum of its months: 2 ETP x 23 458 x 1.05 / 12
            # = 4 105.15 to October, 2 x 23 921 x 1.05 / 12 = 4 186.175
            # -> 4 186.18 (half even) in November and December:
            # 10 x 4 105.15 + 2 x 4 186.18 = 41 051.50 + 8 372.36
            # = 49 423.86
            self.assertEqual(agreement.total_aid, Decimal('49423.86'))
            self.assertEqual(agreement.base_aid, Decimal('23535.1667'))

            # The November rate corrected after validation moves no month
            rate, = Rate.search([('measure', '=', 'aci'),
                    ('start_date', '=', D(2024, 11, 1))])
            rate.amount = Decimal(24000)
            rate.save()
            agreement, by_month, rows = figures()
            self.assertEqual(by_month, expected)
            self.assertEqual(rows, expected)
            self.assertEqual(agreement.total_aid, Decimal('49423.86'))

            # Accrued: 10 x 4 105.24 + 2 x 4 186.27 = 41 052.40 + 8 372.54
            # = 49 424.94; the ASP's twelfths 4 105.15 and 4 186.18 add up
            # to 49 423.86; regularisation 49 424.94 - 49 423.86 = 1.08
            for month, _, aid in expected:
                accrual = agreement.accrue_aid(month)
                self.assertEqual(accrual.amount, aid)
                payment = agreement.record_monthly_payment(month)
                self.assertEqual(payment.amount,
                    Decimal('4105.15') if month.month <= 10
                    else Decimal('4186.18'))
            agreement = Agreement(agreement.id)
            self.assertEqual(agreement.aid_accrued, Decimal('49424.94'))
            self.assertEqual(agreement.aid_received, Decimal('49423.86'))
            self.assertEqual(agreement.aid_regularisation, Decimal('1.08'))

            # Back to draft and validated again, it takes 24 000 from
            # November: 303.34 x 25 200 / 1 820 = 4 200.0923 -> 4 200.09;
            # the AF 2 x 24 000 x 1.05 / 12 = 4 200.00 a month:
            # 41 051.50 + 8 400.00 = 49 451.50
            Agreement.draft([agreement])
            Agreement.validate_agreement([agreement])
            agreement, by_month, rows = figures()
            expected = [(m, h, Decimal('4200.09') if m.month > 10 else a)
                for m, h, a in expected]
            self.assertEqual(by_month, expected)
            self.assertEqual(rows, expected)
            self.assertEqual(agreement.total_aid, Decimal('49451.50'))
            self.assertEqual(
                [r.amount for r in agreement.frozen_rates],
                [Decimal(23458)] * 10 + [Decimal(24000)] * 2)

    @with_transaction()
    def test_agreement_without_hours(self):
        """An AF saved without its reference hours is refused as a missing
        field (its ETP figures computed before it crashed on them)"""
        Agreement = Pool().get('insertion.agreement')
        company = self.structure("Val Services", kind='ai')
        with set_company(company):
            agreement = Agreement(company=company, number='AI051240002A0M0',
                measure='ai', start_date=D(2024, 1, 1),
                end_date=D(2024, 12, 31), etp=Decimal(1))
            with self.assertRaises(RequiredValidationError):
                agreement.save()

    @with_transaction()
    def test_hand_worked_ai_year(self):
        """An AI's year 2024, worked by hand: AF of 1 ETP frozen at
        validation, ETP, aid at each month's rate, the ASP's twelfths,
        regularisation, the ETP alert and an exit (issue 15)"""
        pool = Pool()
        Import = pool.get('insertion.payroll.import')
        Agreement = pool.get('insertion.agreement')
        Rate = pool.get('insertion.aid.rate')
        Etp = pool.get('insertion.payroll.etp')
        Exit = pool.get('insertion.exit')
        Party = pool.get('party.party')
        company = self.structure("Val Services", kind='ai')
        mairie = Party(name="Mairie")
        mairie.save()
        with set_company(company):
            self.books(company, 2024)
            # Léa placed from 2024-01-08 to 2024-06-30 (left to a CDI),
            # Marc from 2024-03-01 to 2024-12-31, with the Mairie
            lea, _ = self.person(company, "Léa", D(2024, 1, 8), code='L1')
            lea_contract = self.contract(lea, D(2024, 1, 8), D(2024, 6, 30),
                kind='ai_placement', hours=16, user_party=mairie,
                end_date=D(2024, 6, 30))
            marc, _ = self.person(company, "Marc", D(2024, 3, 1), code='M1')
            self.contract(marc, D(2024, 3, 1), D(2024, 12, 31),
                kind='ai_placement', hours=21, user_party=mairie)
            # The AI rates of rate.xml: 1 588 from 2024-01-01, 1 619 from
            # 2024-11-01, 1 607 reference hours; no modulation
            agreement = Agreement(company=company, number='AI051240001A0M0',
                measure='ai', start_date=D(2024, 1, 1),
                end_date=D(2024, 12, 31), etp=Decimal(1),
                reference_hours=Decimal(1607))
            agreement.save()
            Agreement.validate_agreement([agreement])
            # The AF's aid: 1 ETP × 1 588 / 12 = 132.333 -> 132.33 a month
            # to October, 1 × 1 619 / 12 = 134.9167 -> 134.92 in November
            # and December: 10 × 132.33 + 2 × 134.92 = 1 323.30 + 269.84
            # = 1 593.14
            self.assertEqual(agreement.total_aid, Decimal('1593.14'))
            # A rate corrected after validation moves nothing
            rate, = Rate.search([('measure', '=', 'ai'),
                    ('start_date', '=', D(2024, 11, 1))])
            rate.amount = Decimal(1700)
            rate.save()
            agreement = Agreement(agreement.id)
            self.assertEqual(agreement.total_aid, Decimal('1593.14'))

            # Paid at the SMIC of 2024, 11.65 an hour, 22 % of employee
            # contributions, no tax: Léa 70 h a month = gross 815.50
            # - 179.41 = net 636.09 (employer 40.00); Marc 90 h = gross
            # 1 048.50 - 230.67 = net 817.83 (employer 50.00)
            lea_row = ('L1', '70', '70', '815,50', '179,41', '40,00',
                '636,09', '0', '0', '')
            marc_row = ('M1', '90', '90', '1048,50', '230,67', '50,00',
                '817,83', '0', '0', '')
            for month in range(1, 13):
                rows = ([lea_row] if month <= 6 else []) + (
                    [marc_row] if month >= 3 else [])
                import_ = Import.import_file(company,
                    csv_file(rows, month='2024-%02d' % month),
                    'paie-%02d.csv' % month)
                Import.validate_lines([import_])

            # Hours paid: January and February 70 (Léa), March to June
            # 160, July to December 90 (Marc); 1 320 h in the year.
            # Aid = hours / 1 607 × the month's rate:
            # 70 × 1 588 / 1 607 = 111 160 / 1 607 = 69.172 -> 69.17
            # 160 × 1 588 / 1 607 = 254 080 / 1 607 = 158.108 -> 158.11
            # 90 × 1 588 / 1 607 = 142 920 / 1 607 = 88.936 -> 88.94
            # 90 × 1 619 / 1 607 = 145 710 / 1 607 = 90.672 -> 90.67
            hours = [70, 70] + [160] * 4 + [90] * 6
            aids = ([Decimal('69.17')] * 2 + [Decimal('158.11')] * 4
                + [Decimal('88.94')] * 4 + [Decimal('90.67')] * 2)
            expected = [(D(2024, m, 1), Decimal(h).quantize(Decimal('0.01')),
                    a) for m, h, a in zip(range(1, 13), hours, aids)]
            self.assertEqual([(m, h, a)
                    for m, h, _, a in agreement.etp_by_month()], expected)
            self.assertEqual([(r.month, r.hours, r.aid_accrued)
                    for r in Etp.search([
                            ('agreement', '=', agreement.id)])], expected)

            # At 30 June: 780 h / 1 607 = 0.4854 ETP against 0.5000
            # expected; at this pace 0.4854 × 12 / 6 = 0.9708 ETP in the
            # year, within 95 %: no alert.  At 31 December: 1 320 / 1 607
            # = 0.8214 ETP of 1, under 95 %
            for date, figures in [
                    (D(2024, 6, 30), ('0.4854', '0.5000', '0.9708', None)),
                    (D(2024, 12, 31),
                        ('0.8214', '1.0000', '0.8214', 'under')),
                    ]:
                status = agreement.etp_status(date)
                self.assertEqual((
                        status['consumed'].quantize(Decimal('0.0001')),
                        status['expected'].quantize(Decimal('0.0001')),
                        status['projection'].quantize(Decimal('0.0001')),
                        status['alert']),
                    tuple(Decimal(f) for f in figures[:3]) + figures[3:])

            # Accrued: 2 × 69.17 + 4 × 158.11 + 4 × 88.94 + 2 × 90.67
            # = 138.34 + 632.44 + 355.76 + 181.34 = 1 307.88; the ASP pays
            # the twelfths, 1 593.14; regularisation 1 307.88 - 1 593.14
            # = -285.26, to pay back
            for month, _, aid in expected:
                self.assertEqual(agreement.accrue_aid(month).amount, aid)
                self.assertEqual(
                    agreement.record_monthly_payment(month).amount,
                    Decimal('132.33') if month.month <= 10
                    else Decimal('134.92'))
            agreement = Agreement(agreement.id)
            self.assertEqual((agreement.aid_accrued, agreement.aid_received,
                    agreement.aid_regularisation),
                (Decimal('1307.88'), Decimal('1593.14'), Decimal('-285.26')))

            # Léa's exit on 2024-06-30: 6 × 70 = 420 h worked, examined
            # (150 h or more in an AI); her path 2024-01-08 to 2024-06-30,
            # 174 days + 1 = 175 days
            lea_contract.hours = Decimal(420)
            lea_contract.save()
            exit = Exit(company=company, employee=lea, date=D(2024, 6, 30),
                destination='cdi')
            exit.save()
            self.assertEqual((exit.entry_date, exit.path_days, exit.hours,
                    exit.examined, exit.category),
                (D(2024, 1, 8), 175, Decimal(420), True, 'durable'))

    @with_transaction()
    def test_aid_company_rule(self):
        """The aid accrued and received are behind their AF's company: A's
        director reads A's payments only and writes none; an accountant
        working in A may not rewrite nor delete B's"""
        pool = Pool()
        Rate = pool.get('insertion.aid.rate')
        Agreement = pool.get('insertion.agreement')
        Payment = pool.get('insertion.payroll.aid.payment')
        Accrual = pool.get('insertion.payroll.aid.accrual')
        jardins = self.structure()
        recyclerie = self.structure("Recyclerie", siret='41234503500015')
        Rate(measure='aci', start_date=D(2026, 1, 1), amount=Decimal(24000),
            confirmed=True, reference_hours=Decimal(1820)).save()
        payments, accruals = {}, {}
        for company, number in [
                (jardins, 'ACI051260013A0M0'), (recyclerie, 'ACI051260014A0M0')]:
            with set_company(company):
                agreement = Agreement(company=company, number=number,
                    measure='aci', start_date=D(2026, 1, 1),
                    end_date=D(2026, 12, 31), etp=Decimal(12),
                    reference_hours=Decimal(1820), modulation=Decimal(0))
                agreement.save()
                Agreement.validate_agreement([agreement])
                # 12 ETP x 24 000 / 12 = 24 000.00 a month
                payments[company] = agreement.record_monthly_payment(
                    D(2026, 3, 1))
                accruals[company] = Accrual(agreement=agreement,
                    month=D(2026, 3, 1), amount=Decimal('23000.00'))
                accruals[company].save()
        self.assertEqual(payments[recyclerie].amount, Decimal('24000.00'))
        accountant = self.user(
            'comptable', 'role_accountant', [jardins, recyclerie])
        director = self.user('direction', 'role_director', [jardins])

        set_user, set_context = self.as_user(director)
        with set_user, set_context:
            self.assertEqual(Payment.search([]), [payments[jardins]])
            self.assertEqual(Accrual.search([]), [accruals[jardins]])
            with self.refused(AccessError, 'not allowed to read'):
                Payment.read([payments[recyclerie].id], ['amount'])
            with self.refused(AccessError, 'not allowed to read'):
                Accrual.read([accruals[recyclerie].id], ['amount'])
            with self.refused(AccessError, 'not allowed to access'):
                Payment.write([payments[jardins]], {'amount': Decimal(1)})
        set_user, set_context = self.as_user(accountant)
        with set_user, set_context:
            for call in [
                    lambda: Payment.write(
                        [payments[recyclerie]], {'amount': Decimal(1)}),
                    lambda: Payment.delete([payments[recyclerie]]),
                    lambda: Payment.create([{
                                'agreement': payments[recyclerie].agreement,
                                'date': D(2026, 4, 30),
                                'month': D(2026, 4, 1),
                                'amount': Decimal(1)}]),
                    ]:
                with self.refused(AccessError, 'not allowed'):
                    call()
            Payment.write([payments[jardins]], {'amount': Decimal('23500')})
        self.assertEqual(
            sorted(p.amount for p in Payment.browse(
                    [p.id for p in payments.values()])),
            [Decimal('23500.00'), Decimal('24000.00')])
        self.assertEqual(self.count('insertion.payroll.aid.payment'), 2)

    @with_transaction()
    def test_etp_without_lines(self):
        """Directors and the board read the ETP consumed (SQL aggregates of
        the payroll) but no payroll line, nor find one by a person's name"""
        pool = Pool()
        Import = pool.get('insertion.payroll.import')
        Line = pool.get('insertion.payroll.line')
        Etp = pool.get('insertion.payroll.etp')
        Agreement = pool.get('insertion.agreement')
        company = self.structure()
        with set_company(company):
            self.staff(company, ['A1', 'B1'])
            agreement = self.agreement(company)
            import_ = Import.import_file(company, csv_file(
                    [r[:9] + ('',) for r in MONTH if r[0] in {'A1', 'B1'}]))
            Import.validate_lines([import_])
        for role in ['role_director', 'role_board']:
            user = self.user(role, role, [company])
            set_user, set_context = self.as_user(user)
            with set_user, set_context:
                # 112.67 + 151.67 = 264.34 h / 1 820 = 0.1452 ETP
                row, = Etp.read(
                    [r.id for r in Etp.search([])], ['hours', 'etp'])
                self.assertEqual(
                    (row['hours'], row['etp']),
                    (Decimal('264.34'), Decimal('0.1452')))
                with Transaction().set_context(date=D(2026, 3, 31)):
                    figures, = Agreement.read(
                        [agreement.id], ['etp_consumed'])
                self.assertEqual(
                    figures['etp_consumed'].quantize(Decimal('0.0001')),
                    Decimal('0.1452'))
                for call in [
                        lambda: Line.search([]),
                        lambda: Line.search(
                            [('employee.rec_name', 'ilike', '%Salarié%')]),
                        lambda: Line.read(
                            [l.id for l in import_.lines], ['gross']),
                        ]:
                    with self.refused(AccessError, 'not allowed to access'):
                        call()

    @with_transaction()
    def test_stored_models_have_rules(self):
        """Every stored model of the module is behind a company rule, for
        reading, writing, creating and deleting"""
        pool = Pool()
        Rule = pool.get('ir.rule')
        company = self.structure()
        user = self.user('comptable', 'role_accountant', [company])
        set_user, set_context = self.as_user(user)
        models = [
            'insertion.payroll.configuration', 'insertion.payroll.import',
            'insertion.payroll.line', 'insertion.payroll.etp',
            'insertion.payroll.aid.accrual', 'insertion.payroll.aid.payment',
            'insertion.payroll.shared']
        registered = {name for name, model in pool.iterobject()
            if name.startswith('insertion.payroll.')
            and hasattr(model, '__table__')
            and issubclass(model, ModelSQL)}
        self.assertEqual(registered, set(models))
        with set_user, set_context:
            for model in models:
                for mode in ['read', 'write', 'create', 'delete']:
                    self.assertIn(str(company.id),
                        str(Rule.domain_get(model, mode)), (model, mode))


del ModuleTestCase
