# This file is part of Pôle.
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from unittest.mock import patch

from trytond.model.exceptions import SQLConstraintError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from ..exceptions import (
    AgreementError, ContractError, ExitError, PassError, ProlongationError,
    SuspensionError)

D = dt.date


class InsertionTestMixin(CompanyTestMixin):
    """Structures, people, contracts and refusals, for the tests of
    insertion and of the modules extending it"""

    @property
    def _skip_company_rule(self):
        return super()._skip_company_rule | {
            ('hub.configuration', 'collective'),
            ('hub.member', 'company'),
            # The pôle's row has no company: its rule keeps it (indicator.xml)
            ('insertion.indicator', 'company'),
            ('insertion.board_report.start', 'company'),
            }

    def structure(self, name="Jardins", kind='aci', siret='41234502700012'):
        Member = Pool().get('hub.member')
        company = create_company(name)
        Member(company=company, kind=kind, siret=siret,
            joined=D(2020, 1, 1)).save()
        return company

    def person(self, company, name, pass_start=None, number=None, code=None):
        pool = Pool()
        Employee = pool.get('company.employee')
        Party = pool.get('party.party')
        Pass = pool.get('insertion.pass')
        party = Party(name=name, code=code)
        party.save()
        employee = Employee(company=company, party=party)
        employee.save()
        pass_ = None
        if pass_start:
            pass_ = Pass(company=company, employee=employee,
                number=number or '99999%07d' % employee.id,
                start_date=pass_start)
            pass_.save()
        return employee, pass_

    def contract(self, employee, start, planned, kind='cddi', hours=26,
            **values):
        Contract = Pool().get('insertion.contract')
        contract = Contract(
            company=employee.company, employee=employee, kind=kind,
            start_date=start, planned_end_date=planned,
            weekly_hours=Decimal(hours), **values)
        contract.save()
        return contract

    @contextmanager
    def refused(self, exception, regex):
        "Expect the error, and roll back what the failed call wrote"
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        cursor.execute('SAVEPOINT refused')
        try:
            with self.assertRaisesRegex(exception, regex) as cm:
                yield cm
        finally:
            cursor.execute('ROLLBACK TO SAVEPOINT refused')
            cursor.execute('RELEASE SAVEPOINT refused')
            transaction.cache.clear()


class InsertionTestCase(InsertionTestMixin, ModuleTestCase):
    "Test Insertion module"
    module = 'insertion'

    def today(self, date):
        return patch.object(Pool().get('ir.date'), 'today', return_value=date)

    @with_transaction()
    def test_pass_arithmetic(self):
        "PASS IAE end date: 730 days, pushed by suspensions and prolongations"
        pool = Pool()
        Suspension = pool.get('insertion.pass.suspension')
        Prolongation = pool.get('insertion.pass.prolongation')
        company = self.structure()
        with set_company(company), self.today(D(2025, 6, 15)):
            employee, pass_ = self.person(company, "Alice", D(2025, 1, 1))
            # 2025-01-01 + 730 days - 1 = 2026-12-31 (two years of 365 days)
            self.assertEqual(pass_.end_date, D(2026, 12, 31))
            # 20 days: 2027-01-20
            Suspension(pass_=pass_, reason='sickness',
                start_date=D(2025, 3, 1), end_date=D(2025, 3, 20)).save()
            pass_ = pass_.__class__(pass_.id)
            self.assertEqual(pass_.end_date, D(2027, 1, 20))
            # 31 more days: 2027-02-20
            Suspension(pass_=pass_, reason='contract_suspended',
                start_date=D(2025, 5, 1), end_date=D(2025, 5, 31)).save()
            pass_ = pass_.__class__(pass_.id)
            self.assertEqual(pass_.end_date, D(2027, 2, 20))
            # 365 days for 50+: 2028-02-20
            Prolongation(pass_=pass_, reason='senior',
                start_date=D(2027, 2, 21), end_date=D(2028, 2, 20)).save()
            pass_ = pass_.__class__(pass_.id)
            self.assertEqual(pass_.end_date, D(2028, 2, 20))

            self.assertEqual(pass_.status_at(D(2024, 12, 31)), 'future')
            self.assertEqual(pass_.status_at(D(2025, 1, 1)), 'valid')
            self.assertEqual(pass_.status_at(D(2025, 3, 10)), 'suspended')
            self.assertEqual(pass_.status_at(D(2025, 4, 1)), 'valid')
            self.assertEqual(pass_.status_at(D(2028, 2, 20)), 'valid')
            self.assertEqual(pass_.status_at(D(2028, 2, 21)), 'expired')
            self.assertEqual(pass_.status, 'valid')  # on 2025-06-15

    @with_transaction()
    def test_pass_number(self):
        "A PASS IAE number has 12 characters: 5 of prefix, 7 digits"
        company = self.structure()
        with set_company(company):
            with self.refused(PassError, 'ABCDE12345XY'):
                self.person(company, "Bad", D(2025, 1, 1), 'ABCDE12345XY')
        with set_company(company):
            with self.refused(
                    (SQLConstraintError, PassError), '12 characters'):
                self.person(company, "Short", D(2025, 1, 1), '99999123456')
        with set_company(company):
            self.person(company, "Good", D(2025, 1, 1), '999991234567')
            # The last check: the database refuses it, ending the transaction
            with self.assertRaisesRegex(SQLConstraintError, 'own number'):
                self.person(company, "Twin", D(2025, 1, 1), '999991234567')

    @with_transaction()
    def test_suspension_rules(self):
        "Suspensions: 36 months, no overlap, not future, 365 days back"
        pool = Pool()
        Suspension = pool.get('insertion.pass.suspension')
        company = self.structure()

        def suspend(pass_, start, end):
            Suspension(pass_=pass_, reason='sickness',
                start_date=start, end_date=end).save()

        with set_company(company), self.today(D(2025, 6, 15)):
            employee, pass_ = self.person(company, "Alice", D(2024, 6, 1))
            with self.refused(SuspensionError, '36 months'):
                suspend(pass_, D(2025, 1, 1), D(2028, 1, 1))
            suspend(pass_, D(2025, 1, 1), D(2027, 12, 31))  # 36 months
            with self.refused(SuspensionError, 'overlaps'):
                suspend(pass_, D(2025, 3, 1), D(2025, 3, 10))
            _, other = self.person(company, "Bruno", D(2024, 1, 1))
            with self.refused(SuspensionError, 'future'):
                suspend(other, D(2025, 6, 16), D(2025, 7, 1))
            # 2025-06-15 - 365 days = 2024-06-15
            with self.refused(SuspensionError, '365 days'):
                suspend(other, D(2024, 6, 14), D(2024, 7, 1))
            suspend(other, D(2024, 6, 15), D(2024, 7, 1))
            _, late = self.person(company, "Chloé", D(2025, 6, 1))
            with self.refused(SuspensionError, 'must start'):
                suspend(late, D(2025, 5, 1), D(2025, 5, 10))
            # Later, the recorded suspension stays valid
        with set_company(company), self.today(D(2026, 6, 15)):
            suspension, = Suspension.search(
                [('pass_', '=', other.id)])
            suspension.reason = 'maternity'
            suspension.save()

    @with_transaction()
    def test_prolongation_rules(self):
        "Prolongations: at most the reason's months, once and in all"
        pool = Pool()
        Prolongation = pool.get('insertion.pass.prolongation')
        company = self.structure()
        with set_company(company):
            employee, pass_ = self.person(company, "Alice", D(2025, 1, 1))
            with self.refused(ProlongationError, '12 months'):
                Prolongation(pass_=pass_, reason='rqth',
                    start_date=D(2027, 1, 1), end_date=D(2028, 1, 1)).save()
            start = D(2027, 1, 1)
            for year in range(3):  # 3 × 12 months of RQTH
                end = start.replace(year=start.year + 1) - dt.timedelta(1)
                Prolongation(pass_=pass_, reason='rqth',
                    start_date=start, end_date=end).save()
                start = end + dt.timedelta(1)
            with self.refused(ProlongationError, '36 months'):
                Prolongation(pass_=pass_, reason='rqth',
                    start_date=start, end_date=start + dt.timedelta(10)).save()
            # Until retirement: no maximum
            Prolongation(pass_=pass_, reason='senior_cdi',
                start_date=start, end_date=D(2040, 1, 1)).save()

    @with_transaction()
    def test_contract_rules(self):
        "Each contract rule has its error"
        pool = Pool()
        Prolongation = pool.get('insertion.pass.prolongation')
        Party = pool.get('party.party')
        company = self.structure()
        with set_company(company):
            nobody, _ = self.person(company, "Sans Pass")
            with self.refused(ContractError, 'PASS IAE valid'):
                self.contract(nobody, D(2025, 1, 1), D(2025, 6, 30))
            # Permanent staff need none
            self.contract(nobody, D(2025, 1, 1), None, kind='cdi')

            alice, pass_ = self.person(company, "Alice", D(2025, 1, 1))
            # A PASS that has not started does not count
            with self.refused(ContractError, 'PASS IAE valid'):
                self.contract(alice, D(2024, 12, 1), D(2025, 6, 30))
            # 1 January to 29 April is one day short of 4 months
            with self.refused(ContractError, '4 months'):
                self.contract(alice, D(2025, 1, 1), D(2025, 4, 29))
            with self.refused(ContractError, 'at most 35'):
                self.contract(alice, D(2025, 1, 1), D(2025, 5, 1), hours=36)
            with self.refused(ContractError, 'at least 20'):
                self.contract(alice, D(2025, 1, 1), D(2025, 12, 31), hours=15)
            first = self.contract(
                alice, D(2025, 1, 1), D(2025, 12, 31), hours=15,
                derogation_reason="Health", derogation_end_date=D(2025, 6, 30))
            with self.refused(ContractError, 'overlaps'):
                self.contract(alice, D(2025, 12, 1), D(2026, 4, 30))
            # 2025-01-01 to 2027-01-31: more than 24 months
            with self.refused(ContractError, '24 months'):
                self.contract(alice, D(2026, 1, 1), D(2027, 1, 31),
                    renewal_of=first)
            Prolongation(pass_=pass_, reason='training',
                start_date=D(2027, 1, 1), end_date=D(2027, 6, 30)).save()
            renewal = self.contract(alice, D(2026, 1, 1), D(2027, 1, 31),
                renewal_of=first)
            self.assertEqual(renewal.first, first)

            # AI: 480 hours with one ordinary user over 24 months
            bruno, _ = self.person(company, "Bruno", D(2025, 1, 1))
            user = Party(name="Mairie")
            user.save()
            Contract = pool.get('insertion.contract')
            placement = Contract(
                company=company, employee=bruno, kind='ai_placement',
                start_date=D(2025, 1, 1), planned_end_date=D(2025, 3, 31),
                weekly_hours=Decimal(10), hours=Decimal(300),
                user_party=user)
            placement.save()
            second = Contract(
                company=company, employee=bruno, kind='ai_placement',
                start_date=D(2025, 4, 1), planned_end_date=D(2025, 6, 30),
                weekly_hours=Decimal(10), hours=Decimal(200),
                user_party=user)
            with self.refused(ContractError, '500'):
                second.save()
            second.user_ordinary = False
            second.save()

    @with_transaction()
    def test_cdi_inclusion_share(self):
        "CDI inclusion: at most 20 % of the conventioned ETP"
        pool = Pool()
        Agreement = pool.get('insertion.agreement')
        company = self.structure()
        with set_company(company):
            alice, _ = self.person(company, "Alice", D(2025, 1, 1))
            with self.refused(ContractError, 'annexe financière'):
                self.contract(alice, D(2025, 2, 1), None,
                    kind='cdi_inclusion', hours=35)
            agreement = Agreement(company=company, number='ACI051250001A0M0',
                measure='aci', start_date=D(2025, 1, 1),
                end_date=D(2025, 12, 31), etp=Decimal(10),
                reference_hours=Decimal(1820))
            agreement.save()
            Agreement.validate_agreement([agreement])
            # 20 % of 10 ETP = 2 ETP = 2 × 35 hours
            self.contract(alice, D(2025, 2, 1), None,
                kind='cdi_inclusion', hours=35)
            bruno, _ = self.person(company, "Bruno", D(2025, 1, 1))
            self.contract(bruno, D(2025, 2, 1), None,
                kind='cdi_inclusion', hours=35)
            chloe, _ = self.person(company, "Chloé", D(2025, 1, 1))
            with self.refused(ContractError, r'3\.00 ETP'):
                self.contract(chloe, D(2025, 3, 1), None,
                    kind='cdi_inclusion', hours=35)

    @with_transaction()
    def test_agreement_rules(self):
        "An AF number is checked, with its measure and modulated part"
        pool = Pool()
        Agreement = pool.get('insertion.agreement')
        company = self.structure()

        def agreement(number, measure='aci', modulation=0):
            Agreement(company=company, number=number, measure=measure,
                start_date=D(2025, 1, 1), end_date=D(2025, 12, 31),
                etp=Decimal(5), reference_hours=Decimal(1820),
                modulation=Decimal(modulation)).save()

        with set_company(company):
            with self.refused(AgreementError, 'not valid'):
                agreement('ACI05125001A0M0')
            with self.refused(AgreementError, 'measure EI'):
                agreement('ACI051250001A0M0', measure='ei')
            with self.refused(AgreementError, 'not 11'):
                agreement('ACI051250001A0M0', modulation=11)
            agreement('ACI02A250001A1M2', modulation=10)
            agreement('EITI051250001A0M0', measure='eiti')

    @with_transaction()
    def test_exit_without_contract(self):
        "An exit needs an insertion contract before it"
        pool = Pool()
        Exit = pool.get('insertion.exit')
        company = self.structure()
        with set_company(company):
            alice, _ = self.person(company, "Alice", D(2025, 1, 1))
            with self.refused(ExitError, 'no insertion contract'):
                Exit(company=company, employee=alice, date=D(2025, 3, 1),
                    destination='cdi').save()

    @with_transaction()
    def test_exit_examined_hours(self):
        "AI exits are examined from 150 hours"
        pool = Pool()
        Exit = pool.get('insertion.exit')
        Party = pool.get('party.party')
        company = self.structure(kind='ai')
        user = Party(name="Mairie")
        user.save()
        with set_company(company):
            results = []
            for name, hours in [("Alice", 149), ("Bruno", 150)]:
                employee, _ = self.person(company, name, D(2025, 1, 1))
                self.contract(employee, D(2025, 1, 1), D(2025, 6, 30),
                    kind='ai_placement', hours=10, user_party=user)
                contract, = pool.get('insertion.contract').search(
                    [('employee', '=', employee.id)])
                contract.hours = Decimal(hours)
                contract.save()
                exit = Exit(company=company, employee=employee,
                    date=D(2025, 12, 31), destination='cdi')
                exit.save()
                results.append((exit.hours, exit.examined, exit.category))
            self.assertEqual(results, [
                    (Decimal(149), False, 'durable'),
                    (Decimal(150), True, 'durable')])

    def test_secret_cells(self):
        "Statistical secrecy: primary, complementary and across the rows"
        from ..indicator import COUNTS, secret_cells

        def row(**values):
            return {c: values.get(c, 0) for c in COUNTS}
        # A: 6 people hired in the year, 5 women and 1 man, 2 on RSA, 5 of
        # them in a QPV, 1 exit to a CDI after 181 days.  B: 1 man in a QPV,
        # the same exit.  C: 5 men, no exit.  The pôle sums them.
        exit_ = dict(exits=1, exits_durable=1, exits_examined=1,
            exits_dynamic=1, path_days=181)
        a = row(people=6, entries=6, women=5, men=1, rsa=2, qpv=5, **exit_)
        b = row(people=1, entries=1, men=1, qpv=1, **exit_)
        c = row(people=5, entries=5, men=5)
        pole = {k: a[k] + b[k] + c[k] for k in COUNTS}
        table = {10: a, 20: b, 30: c, None: pole}
        exits = {'exits', 'exits_durable', 'exits_transition',
            'exits_positive', 'exits_other', 'exits_withdrawn',
            'exits_examined', 'exits_dynamic', 'path_days'}

        # A's director: A's man (1) and, so that he cannot be worked out
        # from the 6 people, the women (5); RSA (2); QPV (5) since the one
        # left out is alone; one exit, so everything of the exits.  The
        # pôle: RSA (2) and its 2 exits; QPV too, B and C together having 1.
        hidden = secret_cells(table, {10})
        self.assertEqual(set(hidden), {10, None})
        self.assertEqual(hidden[10], {'women', 'men', 'rsa', 'qpv'} | exits)
        self.assertEqual(hidden[None], {'rsa', 'qpv'} | exits)
        # A's counsellor: A exact, the pôle as for the director
        hidden = secret_cells(table, {10}, exact={10})
        self.assertEqual(set(hidden), {None})
        self.assertEqual(hidden[None], {'rsa', 'qpv'} | exits)
        # B's director: B has 1 person, everything hidden; the pôle minus B
        # has 2 on RSA and 1 exit but 5 in a QPV: that one is shown
        hidden = secret_cells(table, {20})
        self.assertEqual(hidden[20], set(COUNTS))
        self.assertEqual(hidden[None], {'rsa'} | exits)
        # A reader of the three: B's people (1) would be the pôle's 12 minus
        # A's 6 and C's 5, so C's 5 are hidden (the smallest), and so are
        # C's entries; then C's men, which would give C's people back
        hidden = secret_cells(table, {10, 20, 30})
        self.assertEqual(hidden[10], {'women', 'men', 'rsa', 'qpv'} | exits)
        self.assertEqual(hidden[20], set(COUNTS))
        self.assertEqual(hidden[30], {'people', 'entries', 'men'})
        self.assertEqual(hidden[None], {'rsa'} | exits)
        # With B alone beside A, the pôle minus A is B: all of it is hidden
        del table[30]
        table[None] = {k: a[k] + b[k] for k in COUNTS}
        self.assertEqual(secret_cells(table, {10})[None], set(COUNTS))
        # A structure of 8 with 4 exits: 3 durable and 1 other (both under
        # 5), the exits (4) too; of 12 exits, 11 durable and 1 other: the
        # other, and the durable since it gives the other back
        for exits_, durable, other, expected in [
                (4, 3, 1, {'exits', 'exits_durable', 'exits_other'}),
                (12, 11, 1, {'exits_durable', 'exits_other'}),
                ]:
            values = row(people=8, entries=8, women=4, men=4,
                exits=exits_, exits_durable=durable, exits_other=other,
                exits_examined=exits_, exits_dynamic=durable,
                path_days=100 * exits_)
            hidden = secret_cells({10: values, None: values}, {10})
            self.assertLessEqual(expected, hidden[10])
        self.assertEqual(hidden[10], {
                'women', 'men', 'exits_durable', 'exits_other',
                'exits_dynamic'})

    @with_transaction()
    def test_demo(self):
        "The demo builder makes people in each ACI, AI and EI, once"
        pool = Pool()
        Demo = pool.get('hub.demo')
        Member = pool.get('hub.member')
        Contract = pool.get('insertion.contract')
        Exit = pool.get('insertion.exit')
        today = pool.get('ir.date').today()
        members = {}
        for key, kind, siret in [
                ('aci', 'aci', '41234502700012'),
                ('ai', 'ai', '41234503500015')]:
            self.structure(key, kind, siret)
            members[key], = Member.search([('siret', '=', siret)])
        done = Demo.build_insertion(members, today, people=12)
        self.assertEqual(
            sum(d['people'] for d in done.values()), 12)
        contracts = Contract.search([])
        self.assertEqual(
            len(contracts),
            sum(d['contracts'] + d['renewals'] for d in done.values()))
        self.assertEqual(
            len(Exit.search([])), sum(d['exits'] for d in done.values()))
        self.assertEqual(
            Demo.build_insertion(members, today, people=12),
            {'skipped': True})


del ModuleTestCase
