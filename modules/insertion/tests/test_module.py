# This file is part of Pôle.
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from unittest.mock import patch

from trytond.model.exceptions import AccessError, SQLConstraintError
from trytond.modules.company.tests import set_company
from trytond.modules.hub.tests.tools import HubCompanyTestMixin, create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from ..exceptions import (
    AgreementError, ContractError, ExitError, LimitError, PassError,
    ProlongationError, SuspensionError)

D = dt.date


class InsertionTestMixin(HubCompanyTestMixin):
    """Structures, people, contracts and refusals, for the tests of
    insertion and of the modules extending it"""

    @property
    def _skip_company_rule(self):
        return super()._skip_company_rule | {
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
            pass_ = Pass(party=party,
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
        # A refused delete leaves its ids here: a second try would do nothing
        deleted = {k: set(v) for k, v in transaction.delete_records.items()}
        try:
            with self.assertRaisesRegex(exception, regex) as cm:
                yield cm
        finally:
            cursor.execute('ROLLBACK TO SAVEPOINT refused')
            cursor.execute('RELEASE SAVEPOINT refused')
            transaction.cache.clear()
            transaction.delete_records.clear()
            transaction.delete_records.update(deleted)


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
            # 03-01 to 03-20: 19 days (end - start, as les-emplois counts;
            # it was 20, one day too many): 2027-01-19
            Suspension(pass_=pass_, reason='contract_suspended',
                start_date=D(2025, 3, 1), end_date=D(2025, 3, 20)).save()
            pass_ = pass_.__class__(pass_.id)
            self.assertEqual(pass_.end_date, D(2027, 1, 19))
            # 05-01 to 05-31: 30 more days (was 31): 2027-02-18
            Suspension(pass_=pass_, reason='contract_suspended',
                start_date=D(2025, 5, 1), end_date=D(2025, 5, 31)).save()
            pass_ = pass_.__class__(pass_.id)
            self.assertEqual(pass_.end_date, D(2027, 2, 18))
            # 365 days for 50+ from the end: the end is the prolongation's
            Prolongation(pass_=pass_, reason='senior',
                start_date=D(2027, 2, 18), end_date=D(2028, 2, 18)).save()
            pass_ = pass_.__class__(pass_.id)
            self.assertEqual(pass_.end_date, D(2028, 2, 18))

            self.assertEqual(pass_.status_at(D(2024, 12, 31)), 'future')
            self.assertEqual(pass_.status_at(D(2025, 1, 1)), 'valid')
            self.assertEqual(pass_.status_at(D(2025, 3, 10)), 'suspended')
            self.assertEqual(pass_.status_at(D(2025, 4, 1)), 'valid')
            self.assertEqual(pass_.status_at(D(2028, 2, 18)), 'valid')
            self.assertEqual(pass_.status_at(D(2028, 2, 19)), 'expired')
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
    def test_pass_search_by_name(self):
        "A PASS IAE is found by its number or by the person's name"
        Pass = Pool().get('insertion.pass')
        company = self.structure()
        with set_company(company):
            _, dubois = self.person(
                company, "Marie Dubois", D(2025, 1, 1), '999990000011')
            _, martin = self.person(
                company, "Paul Martin", D(2025, 1, 1), '999990000022')
            self.assertEqual(
                Pass.search([('rec_name', 'ilike', '%dubois%')]), [dubois])
            self.assertEqual(
                Pass.search([('rec_name', 'ilike', '%0022%')]), [martin])
            self.assertEqual(
                Pass.search([('rec_name', 'not ilike', '%dubois%')]),
                [martin])

    @with_transaction()
    def test_pass_second_valid(self):
        "A second valid PASS IAE for the same person is refused"
        # les-emplois: tests/approvals/tests.py
        # TestApprovalModel.test_cannot_be_prolonged_when_a_newer_approval_
        # exists and the job seeker's single valid approval
        pool = Pool()
        Employee = pool.get('company.employee')
        Pass = pool.get('insertion.pass')
        company = self.structure()
        other = self.structure("Ressourcerie", siret='41234502700020')
        with set_company(company):
            alice, pass_ = self.person(company, "Alice", D(2025, 1, 1))
            # Valid until 2026-12-31: a second PASS in another structure of
            # the pôle starting on that day is refused, the next day not
        with set_company(other):
            again = Employee(company=other, party=alice.party)
            again.save()
            with self.refused(PassError, 'already has the PASS IAE'):
                Pass(party=again.party, number='999990000001',
                    start_date=D(2026, 12, 31)).save()
            # Hired by the other structure during the PASS: it counts there
            self.contract(again, D(2026, 1, 1), D(2026, 6, 30))
            Pass(party=again.party, number='999990000001',
                start_date=D(2027, 1, 1)).save()

    @with_transaction()
    def test_limits_dated(self):
        """The State's caps are dated rows: a change from 2030 applies to
        what starts from then, not before; none in force is a named error"""
        pool = Pool()
        Limit = pool.get('insertion.limit')
        company = self.structure()
        # The values of limit.xml, with their sources
        self.assertEqual(Limit.get('pass_days', D(2025, 1, 1)), 730)
        self.assertEqual(Limit.get('ai_max_hours', D(2025, 1, 1)), 480)
        self.assertIsNone(
            Limit.get('prolongation_total_training', D(2025, 1, 1)))
        self.assertTrue(all(l.source for l in Limit.search([])))
        Limit.create([
                {'code': 'pass_days', 'start_date': D(2030, 1, 1),
                    'value': Decimal(365), 'source': "Test decree"},
                {'code': 'path_max_months', 'start_date': D(2030, 1, 1),
                    'value': Decimal(12), 'source': "Test decree"},
                ])
        with set_company(company), self.today(D(2030, 6, 1)):
            before, old = self.person(company, "Before", D(2029, 12, 31))
            after, new = self.person(company, "After", D(2030, 1, 1))
            self.assertEqual(old.end_date, D(2031, 12, 30))
            self.assertEqual(new.end_date, D(2030, 12, 31))
            # A path started in 2029 keeps 24 months, one from 2030 has 12
            self.contract(before, D(2029, 12, 31), D(2031, 6, 30))
            with self.refused(ContractError, '12 months'):
                self.contract(after, D(2030, 1, 1), D(2031, 6, 30))
        with self.assertRaisesRegex(LimitError, 'PASS IAE: days.*1999'):
            Limit.get('pass_days', D(1999, 12, 31))

    @with_transaction()
    def test_suspension_rules(self):
        "Suspensions: 36 months, no overlap, not future, 365 days back"
        pool = Pool()
        Suspension = pool.get('insertion.pass.suspension')
        company = self.structure()

        def suspend(pass_, start, end, reason='contract_suspended'):
            suspension = Suspension(pass_=pass_, reason=reason,
                start_date=start, end_date=end)
            suspension.save()
            return suspension

        with set_company(company), self.today(D(2025, 6, 15)):
            employee, pass_ = self.person(company, "Alice", D(2024, 6, 1))
            # les-emplois get_max_end_at: start + 36 months - 1 day
            with self.refused(SuspensionError, '36 months'):
                suspend(pass_, D(2025, 1, 1), D(2028, 1, 1))
            suspend(pass_, D(2025, 1, 1), D(2027, 12, 31))  # 36 months
            # test_overlapping_dates
            with self.refused(SuspensionError, 'overlaps'):
                suspend(pass_, D(2025, 3, 1), D(2025, 3, 10))
            _, other = self.person(company, "Bruno", D(2024, 1, 1))
            # TestSuspensionModel.test_clean: starts in the future
            with self.refused(SuspensionError, 'future'):
                suspend(other, D(2025, 6, 16), D(2025, 7, 1))
            # test_clean, test_next_min_start_date_without_job_application:
            # 2025-06-15 - 365 days = 2024-06-15
            with self.refused(SuspensionError, 'earliest start is 15/06/2024'):
                suspend(other, D(2024, 6, 14), D(2024, 7, 1))
            old = suspend(other, D(2024, 6, 15), D(2024, 7, 1))
            # next_min_start_at: after the last ended suspension
            with self.refused(SuspensionError, 'earliest start is 02/07/2024'):
                suspend(other, D(2024, 5, 1), D(2024, 5, 10))
            # test_start_in_approval_boundaries: before the PASS
            _, late = self.person(company, "Chloé", D(2025, 6, 1))
            with self.refused(SuspensionError, 'must start'):
                suspend(late, D(2025, 5, 31), D(2025, 6, 10))
            # On the first day of the PASS: accepted
            suspend(late, D(2025, 6, 1), D(2025, 6, 10))
            # Old reasons are kept for history only
            with self.refused(SuspensionError, 'history only'):
                suspend(other, D(2025, 6, 1), D(2025, 6, 10),
                    reason='sickness')
            # Contrat passerelle: ACI and EI only; this one is an ACI
            suspend(other, D(2025, 6, 1), D(2025, 6, 10),
                reason='contrat_passerelle')
            # next_min_start_at: from the last hiring
            dan, dan_pass = self.person(company, "Dan", D(2025, 1, 1))
            self.contract(dan, D(2025, 2, 3), D(2025, 8, 2))
            with self.refused(SuspensionError, 'earliest start is 03/02/2025'):
                suspend(dan_pass, D(2025, 2, 2), D(2025, 2, 20))
            suspend(dan_pass, D(2025, 2, 3), D(2025, 2, 20))

        # A year later, the recorded suspension stays valid; its dates are
        # checked against the day it was recorded (2025-06-15 here), not
        # against today
        cursor = Transaction().connection.cursor()
        table = Suspension.__table__()
        cursor.execute(*table.update([table.create_date],
                [dt.datetime(2025, 6, 15, 10, 0)],
                where=table.id == old.id))
        with set_company(company), self.today(D(2026, 6, 15)):
            old = Suspension(old.id)
            old.reason = 'contract_broken'
            old.end_date = D(2024, 6, 30)
            old.save()
            old = Suspension(old.id)
            with self.refused(SuspensionError, 'earliest start is 15/06/2024'):
                old.start_date = D(2024, 6, 14)
                old.save()

    @with_transaction()
    def test_prolongation_rules(self):
        "Prolongations: from the PASS end, the reason's days, once and in all"
        pool = Pool()
        Prolongation = pool.get('insertion.pass.prolongation')
        company = self.structure()

        def prolong(pass_, start, end, reason='rqth'):
            prolongation = Prolongation(pass_=pass_, reason=reason,
                start_date=start, end_date=end)
            prolongation.save()
            return prolongation

        with set_company(company):
            employee, pass_ = self.person(company, "Alice", D(2025, 1, 1))
            # The PASS ends on 2026-12-31.
            # TestProlongationModel.test_clean_with_wrong_start_at: 2 days
            # before the end, refused
            with self.refused(ProlongationError, 'must start on the end'):
                prolong(pass_, D(2026, 12, 29), D(2027, 1, 29))
            # The day after the end: refused too (the end is inclusive)
            with self.refused(ProlongationError, 'must start on the end'):
                prolong(pass_, D(2027, 1, 1), D(2027, 6, 30))
            # test_clean_minimum_duration_error: at least one day
            with self.refused(ProlongationError, 'at least one day'):
                prolong(pass_, D(2026, 12, 31), D(2026, 12, 31))
            # 365 days at a time: 2026-12-31 + 365 = 2027-12-31; one more
            # day is refused (it was refused at 365 days before)
            with self.refused(ProlongationError, 'on 31/12/2027 at the'):
                prolong(pass_, D(2026, 12, 31), D(2028, 1, 1))
            # test_year_after_year_prolongation, test_time_boundaries:
            # each one starts on the end of the previous
            start = D(2026, 12, 31)
            for year in range(3):  # 3 × 365 days of RQTH
                end = start + dt.timedelta(days=365)
                prolong(pass_, start, end)
                start = end
            pass_ = pass_.__class__(pass_.id)
            # 2026-12-31 + 1095 days = 2029-12-30
            self.assertEqual(pass_.end_date, D(2029, 12, 30))
            # Total of three years used up: not even one day more
            with self.refused(ProlongationError, 'on 30/12/2029 at the'):
                prolong(pass_, start, start + dt.timedelta(1))
            # TestProlongationModelConstraint.test_exclusion_constraint
            with self.refused(ProlongationError, 'overlaps'):
                # 2027-12-30 is before the end of the first, 2027-12-31;
                # 183 days, 913 in all: within the maximums
                Prolongation.write([pass_.prolongations[1]], {
                        'start_date': D(2027, 12, 30),
                        'end_date': D(2028, 6, 30)})

            # test_get_max_end_at: from 2021-02-01, on a PASS without
            # prolongation, each reason's one-request maximum
            bruno, bruno_pass = self.person(company, "Bruno", D(2019, 2, 3))
            self.assertEqual(bruno_pass.end_date, D(2021, 2, 1))
            for reason, maximum in [
                    ('senior_cdi', D(2031, 1, 30)),  # 3650 days
                    ('training', D(2022, 2, 1)),  # 365 days
                    ('rqth', D(2022, 2, 1)),
                    ('senior', D(2022, 2, 1)),
                    ('difficulties', D(2022, 2, 1)),
                    ]:
                prolongation = Prolongation(pass_=bruno_pass, reason=reason,
                    start_date=D(2021, 2, 1), end_date=D(2021, 3, 1))
                self.assertEqual(prolongation.maximum_end(), maximum, reason)
            # test_clean_end_at_do_not_block_edition: 50+, 5 × 365 days in
            # all; shortening the last one leaves room for another
            start = D(2021, 2, 1)
            for year in range(5):
                last = prolong(bruno_pass, start,
                    start + dt.timedelta(days=365), reason='senior')
                start = last.end_date
            # 2021-02-01 + 1825 days = 2026-01-31
            self.assertEqual(start, D(2026, 1, 31))
            last.end_date = start - dt.timedelta(days=30)
            last.save()
            prolong(bruno_pass, last.end_date, start, reason='senior')
            # Health context: history only (on a PASS with room for it)
            _, dora_pass = self.person(company, "Dora", D(2025, 1, 1))
            with self.refused(ProlongationError, 'history only'):
                prolong(dora_pass, D(2026, 12, 31), D(2027, 1, 10),
                    reason='health_context')
            # CDI inclusion, 57 or more: until retirement, 10 years at most
            prolong(bruno_pass, start, start + dt.timedelta(3650),
                reason='senior_cdi')

    @with_transaction()
    def test_prolongation_difficulties(self):
        "Particular difficulties: only in AI and ACI"
        # TestProlongationModel.test_clean_limit_particular_difficulties_
        # to_some_siaes_error
        pool = Pool()
        Prolongation = pool.get('insertion.pass.prolongation')
        for kind, siret, allowed in [
                ('aci', '41234502700012', True),
                ('ai', '41234502700020', True),
                ('ei', '41234502700038', False),
                ('etti', '41234502700046', False),
                ('eiti', '41234502700053', False),
                ]:
            company = self.structure(kind.upper(), kind=kind, siret=siret)
            with set_company(company):
                _, pass_ = self.person(company, "Alice " + kind,
                    D(2025, 1, 1))
                prolongation = Prolongation(pass_=pass_,
                    reason='difficulties', start_date=D(2026, 12, 31),
                    end_date=D(2027, 6, 30))
                if allowed:
                    prolongation.save()
                else:
                    with self.refused(ProlongationError, 'only for the'):
                        prolongation.save()

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
                start_date=D(2026, 12, 31), end_date=D(2027, 6, 30)).save()
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
    def test_cddi_path(self):
        "The 24-month CDDI path comes from the contracts, not from what is typed"
        pool = Pool()
        Prolongation = pool.get('insertion.pass.prolongation')
        company = self.structure()
        with set_company(company):
            alice, pass_ = self.person(company, "Alice", D(2025, 1, 1))
            self.contract(alice, D(2025, 1, 1), D(2025, 12, 31))
            self.contract(alice, D(2026, 1, 1), D(2026, 6, 30))
            # 2025-01-01 + 24 months - 1 day = 2026-12-31: a CDDI typed
            # without "renewal of" continues the path: to 2027-01-31, refused
            with self.refused(ContractError, 'allowed until 31/12/2026'):
                self.contract(alice, D(2026, 7, 1), D(2027, 1, 31))
            # A one-day training prolongation (2026-12-31 to 2027-01-01)
            # allows until 2027-01-01, not a 10-year CDDI
            Prolongation(pass_=pass_, reason='training',
                start_date=D(2026, 12, 31), end_date=D(2027, 1, 1)).save()
            with self.refused(ContractError, 'allowed until 01/01/2027'):
                self.contract(alice, D(2026, 7, 1), D(2036, 6, 30))
            self.contract(alice, D(2026, 7, 1), D(2027, 1, 1))

            # RQTH: up to 60 months of path, within the prolongation
            bruno, bruno_pass = self.person(company, "Bruno", D(2025, 1, 1))
            self.contract(bruno, D(2025, 1, 1), D(2026, 12, 31))
            Prolongation(pass_=bruno_pass, reason='rqth',
                start_date=D(2026, 12, 31), end_date=D(2027, 12, 31)).save()
            with self.refused(ContractError, 'allowed until 31/12/2027'):
                self.contract(bruno, D(2027, 1, 1), D(2028, 1, 1))
            self.contract(bruno, D(2027, 1, 1), D(2027, 12, 31))

            # CDI inclusion, 57 or more: no CDDI exemption
            chloe, chloe_pass = self.person(company, "Chloé", D(2025, 1, 1))
            self.contract(chloe, D(2025, 1, 1), D(2026, 12, 31))
            Prolongation(pass_=chloe_pass, reason='senior_cdi',
                start_date=D(2026, 12, 31), end_date=D(2028, 12, 31)).save()
            with self.refused(ContractError, 'allowed until 31/12/2026'):
                self.contract(chloe, D(2027, 1, 1), D(2027, 6, 30))

    @with_transaction()
    def test_ai_hours_all_placements(self):
        "AI: the 480 hours count the placements after the one corrected too"
        pool = Pool()
        Contract = pool.get('insertion.contract')
        Party = pool.get('party.party')
        company = self.structure(kind='ai')
        user = Party(name="Mairie")
        user.save()
        with set_company(company):
            bruno, _ = self.person(company, "Bruno", D(2025, 1, 1))
            first = self.contract(bruno, D(2025, 1, 1), D(2025, 3, 31),
                kind='ai_placement', hours=10, user_party=user)
            first.hours = Decimal(300)
            first.save()
            second = self.contract(bruno, D(2025, 4, 1), D(2025, 6, 30),
                kind='ai_placement', hours=10, user_party=user)
            second.hours = Decimal(150)
            second.save()  # 300 + 150 = 450 h
            # Correcting the first to 400 h: 400 + 150 = 550 h
            with self.refused(ContractError, '550'):
                Contract.write([Contract(first.id)], {'hours': Decimal(400)})

    @with_transaction()
    def test_exit_current_path(self):
        "A returning person's exit is measured on the current path"
        pool = Pool()
        Exit = pool.get('insertion.exit')
        Pass = pool.get('insertion.pass')
        company = self.structure()
        with set_company(company), self.today(D(2025, 12, 31)):
            alice, _ = self.person(company, "Alice", D(2023, 1, 2))
            self.contract(alice, D(2023, 1, 2), D(2023, 6, 30),
                end_date=D(2023, 6, 30))
            first = Exit(company=company, employee=alice,
                date=D(2023, 6, 30), destination='cdd_short')
            first.save()
            # 2023-01-02 to 2023-06-30: 180 days
            self.assertEqual(first.path_days, 180)
            # Back with a new PASS once the first ended (2024-12-31)
            Pass(party=alice.party, number='999990000999',
                start_date=D(2025, 9, 1)).save()
            self.contract(alice, D(2025, 9, 1), D(2025, 12, 31),
                end_date=D(2025, 12, 31))
            second = Exit(company=company, employee=alice,
                date=D(2025, 12, 31), destination='cdi')
            second.save()
            # 2025-09-01 to 2025-12-31: 30 + 31 + 30 + 31 = 122 days, not
            # the 1 095 days from 2023-01-02
            self.assertEqual(
                (second.entry_date, second.path_days),
                (D(2025, 9, 1), 122))
            # Saving the first again keeps its own path
            first.destination = 'cdd_long'
            first.save()
            self.assertEqual(Exit(first.id).path_days, 180)

            # No exit recorded: a break over 24 months (the State's waiting
            # period for a new PASS, path_break_months) starts a new path.
            # Bruno: 2021-01-04 to 2021-06-30, back on 2023-07-03, 24 months
            # and 3 days later: his exit on 2023-12-31 counts from
            # 2023-07-03, 181 days + 1 = 182
            bruno, _ = self.person(company, "Bruno", D(2021, 1, 4))
            self.contract(bruno, D(2021, 1, 4), D(2021, 6, 30),
                end_date=D(2021, 6, 30))
            Pass(party=bruno.party, number='999990000998',
                start_date=D(2023, 7, 3)).save()
            self.contract(bruno, D(2023, 7, 3), D(2023, 12, 31),
                end_date=D(2023, 12, 31))
            exit = Exit(company=company, employee=bruno,
                date=D(2023, 12, 31), destination='cdi')
            exit.save()
            self.assertEqual((exit.entry_date, exit.path_days),
                (D(2023, 7, 3), 182))
            # Chloé: 2024-01-08 to 2024-03-31 (broken off), back on
            # 2025-09-01 on the same PASS, 17 months later: one path, her
            # exit on 2025-12-31 counts from 2024-01-08, 723 days + 1 = 724
            chloe, _ = self.person(company, "Chloé", D(2024, 1, 8))
            self.contract(chloe, D(2024, 1, 8), D(2024, 5, 31),
                end_date=D(2024, 3, 31))
            self.contract(chloe, D(2025, 9, 1), D(2025, 12, 31),
                end_date=D(2025, 12, 31))
            exit = Exit(company=company, employee=chloe,
                date=D(2025, 12, 31), destination='cdi')
            exit.save()
            self.assertEqual((exit.entry_date, exit.path_days),
                (D(2024, 1, 8), 724))

    @with_transaction()
    def test_eligibility(self):
        """Eligible: one level 1 criterion, or 2 level 2 in AI and ETTI, 3 in
        ACI, EI and EITI"""
        # les-emplois itou/eligibility/utils.py iae_has_required_criteria
        # and ADMINISTRATIVE_CRITERIA_LEVEL_2_REQUIRED_FOR_SIAE_KIND
        pool = Pool()
        Profile = pool.get('insertion.employee.profile')
        aci = self.structure()
        ai = self.structure("Intérim", kind='ai', siret='41234502700020')

        def profile(company, name, birth=D(1985, 5, 1), **criteria):
            employee, _ = self.person(company, name)
            record = Profile(company=company, employee=employee,
                birth_date=birth, eligibility_date=D(2025, 3, 1),
                **criteria)
            record.save()
            record = Profile(record.id)
            return record.eligible, record.eligibility

        with set_company(aci):
            self.assertEqual(profile(aci, "Alice", rsa=True), (True,
                    "Level 1: RSA. Level 2: - (3 needed in ACI)."))
            # Two level 2 criteria are not enough in an ACI
            self.assertEqual(
                profile(aci, "Bruno", qpv=True, single_parent=True),
                (False, "Level 1: -. Level 2: PI, QPV (3 needed in ACI)."))
            # The four criteria added, and CAP or below
            self.assertEqual(profile(aci, "Chloé", homeless=True,
                    french_level=True, mobility=True),
                (True, "Level 1: -. Level 2: FLE, PM, PSH_PR "
                    "(3 needed in ACI)."))
            # Aged 50 on 2025-03-01 and a CAP: SENIOR and CAP_BEP
            self.assertEqual(profile(aci, "Dan", birth=D(1975, 3, 1),
                    education_level='cap', zrr=True),
                (True, "Level 1: -. Level 2: CAP_BEP, SENIOR, ZRR "
                    "(3 needed in ACI)."))
        with set_company(ai):
            # Under 26 (born 1999-03-02: 25 on 2025-03-01) and PM: 2 in AI
            self.assertEqual(profile(ai, "Eve", birth=D(1999, 3, 2),
                    mobility=True),
                (True, "Level 1: -. Level 2: JEUNE, PM (2 needed in AI)."))
        # The same two level 2 criteria: enough in an ETTI (2), not in an
        # EI nor an EITI (3)
        for kind, siret, eligible in [
                ('etti', '41234502700046', True),
                ('ei', '41234502700038', False),
                ('eiti', '41234502700053', False),
                ]:
            company = self.structure(kind.upper(), kind=kind, siret=siret)
            with set_company(company):
                self.assertEqual(
                    profile(company, "Fanny " + kind, qpv=True,
                        single_parent=True),
                    (eligible, "Level 1: -. Level 2: PI, QPV (%s needed in "
                        "%s)." % (2 if eligible else 3, kind.upper())))

    @with_transaction()
    def test_agreement_frozen(self):
        "The aid of an AF is frozen at validation, by month's rate, yearly"
        pool = Pool()
        Agreement = pool.get('insertion.agreement')
        Rate = pool.get('insertion.aid.rate')
        company = self.structure()
        with set_company(company):
            agreement = Agreement(company=company, number='ACI051240001A0M0',
                measure='aci', start_date=D(2024, 1, 1),
                end_date=D(2024, 12, 31), etp=Decimal(10),
                reference_hours=Decimal(1820), modulation=Decimal(5))
            agreement.save()
            # 23 458 for January to October, 23 921 from 2024-11-01:
            # base (10 × 23 458 + 2 × 23 921) / 12 = 282 422 / 12
            # = 23 535.1667 (information); the aid is the sum of the months,
            # each 10 ETP × its rate × 1.05 / 12 to the cent:
            # January to October 246 309 / 12 = 20 525.75,
            # November and December 251 170.5 / 12 = 20 930.875 → 20 930.88
            # (half even); 10 × 20 525.75 + 2 × 20 930.88 = 247 119.26
            self.assertEqual(agreement.base_aid, Decimal('23535.1667'))
            self.assertEqual(agreement.total_aid, Decimal('247119.26'))
            Agreement.validate_agreement([agreement])
            # A rate edited later changes no valid AF
            rate, = Rate.search([('measure', '=', 'aci'),
                    ('start_date', '=', D(2024, 1, 1))])
            rate.amount = Decimal(23500)
            rate.save()
            agreement = Agreement(agreement.id)
            self.assertEqual(agreement.total_aid, Decimal('247119.26'))
            self.assertEqual(
                [(r.month, r.amount) for r in agreement.frozen_rates],
                [(D(2024, m, 1), Decimal(23458)) for m in range(1, 11)]
                + [(D(2024, m, 1), Decimal(23921)) for m in [11, 12]])
            with self.refused(AgreementError, 'not allowed to modify'):
                Agreement.write([agreement], {'etp': Decimal(11)})
            # Its frozen figures are locked too: the aid, its months'
            # rates (written, deleted or added) and the AF itself
            AgreementRate = pool.get('insertion.agreement.rate')
            january = agreement.frozen_rates[0]
            for refused in [
                    lambda: Agreement.write([agreement],
                        {'frozen_total_aid': Decimal('250000.00')}),
                    lambda: Agreement.write([agreement],
                        {'frozen_total_aid': None}),
                    lambda: AgreementRate.write([january],
                        {'amount': Decimal(23500)}),
                    lambda: AgreementRate.delete([january]),
                    lambda: AgreementRate.create([{
                                'agreement': agreement.id,
                                'month': D(2025, 1, 1),
                                'amount': Decimal(1)}]),
                    lambda: Agreement.delete([agreement]),
                    ]:
                with self.refused(AgreementError,
                        'ACI051240001A0M0: it is validated'):
                    refused()
            agreement = Agreement(agreement.id)
            self.assertEqual(agreement.state, 'valid')
            self.assertEqual(agreement.total_aid, Decimal('247119.26'))
            self.assertEqual(AgreementRate(january.id).amount, Decimal(23458))
            self.assertEqual(len(agreement.frozen_rates), 12)
            # Back to draft, it is computed again: 10 × 23 500 × 1.05 / 12
            # = 20 562.50 a month to October, + 2 × 20 930.88 = 247 486.76
            Agreement.draft([agreement])
            agreement = Agreement(agreement.id)
            self.assertEqual(agreement.frozen_rates, ())
            self.assertEqual(agreement.total_aid, Decimal('247486.76'))
            # 24 months: aid, ETP and twelfths are yearly
            with self.refused(AgreementError, 'one calendar year'):
                Agreement(company=company, number='ACI051250001A0M0',
                    measure='aci', start_date=D(2025, 1, 1),
                    end_date=D(2026, 12, 31), etp=Decimal(10),
                    reference_hours=Decimal(1820)).save()

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
            with self.refused(ContractError, '3,00 ETP'):
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

    @with_transaction()
    def test_board_report_chart(self):
        "The board report: proportional bars"
        pool = Pool()
        Report = pool.get('insertion.board_report', type='report')
        # 8 × 30 eighths for the largest; 2 of 50: 9.6 → 10 eighths, one
        # full block and 2 eighths; 3 of 50: 14.4 → 14, one and 6 eighths
        self.assertEqual(Report.bar(50, 50), '█' * 30)
        self.assertEqual(Report.bar(2, 50), '█▎')
        self.assertEqual(Report.bar(3, 50), '█▊')
        self.assertEqual(Report.bar(0, 50), '')
        self.assertEqual(Report.bar(None, 50), '')
        # 1 of 1 000: 0.24 eighth, shown as one eighth since it is not 0
        self.assertEqual(Report.bar(1, 1000), '▏')
        # The French numbers: scenario_insertion_board.rst prints them

    @with_transaction()
    def test_counsellor_moved_from_hub(self):
        """A database made when hub defined the counsellor's records: they
        become insertion's, the same records (a counsellor keeps the role
        and the group), before insertion's XML is read"""
        from sql import Table
        from ..res import MOVED_FROM_HUB
        pool = Pool()
        Group = pool.get('res.group')
        cursor = Transaction().connection.cursor()
        data = Table('ir_model_data')

        def rows(module):
            cursor.execute(*data.select(data.fs_id, data.db_id,
                    where=(data.module == module)
                    & data.fs_id.in_(list(MOVED_FROM_HUB)
                        + list(MOVED_FROM_HUB.values()))))
            return dict(cursor)
        ours = rows('insertion')
        self.assertEqual(set(ours), set(MOVED_FROM_HUB.values()))
        self.assertEqual(rows('hub'), {})
        # As hub had them
        for old_id, new_id in MOVED_FROM_HUB.items():
            cursor.execute(*data.update([data.module, data.fs_id],
                    ['hub', old_id],
                    where=(data.module == 'insertion')
                    & (data.fs_id == new_id)))
        self.assertEqual(rows('insertion'), {})

        Group._move_counsellor_from_hub()
        self.assertEqual(rows('insertion'), ours)
        self.assertEqual(rows('hub'), {})
        # Run again (each update of insertion): nothing changes
        Group._move_counsellor_from_hub()
        self.assertEqual(rows('insertion'), ours)

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

    def counsellor(self, login, company):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        UserRole = pool.get('res.user.role')
        user = User(login=login, name=login, companies=[company],
            company=company, roles=[UserRole(
                    role=ModelData.get_id('insertion', 'role_counsellor'))])
        user.save()
        return user

    @contextmanager
    def as_user(self, user):
        "As a client of user: its company, access checked"
        transaction = Transaction()
        with transaction.set_user(user.id), transaction.set_context(
                company=user.company.id, _check_access=True):
            yield

    @with_transaction()
    def test_pass_shared(self):
        """One person, one PASS IAE across the pôle: Alice leaves A on
        2025-06-30 for B.  On 2025-09-01 B's counsellor reads her PASS,
        records a suspension, and sees B's contract only; A's reads it and
        changes nothing; C's, who never employed her, sees nothing of it,
        not even by its id"""
        pool = Pool()
        Contract = pool.get('insertion.contract')
        Employee = pool.get('company.employee')
        Pass = pool.get('insertion.pass')
        Suspension = pool.get('insertion.pass.suspension')
        a = self.structure("Jardins")
        b = self.structure("Ressourcerie", siret='41234502700020')
        c = self.structure("Recyclerie", siret='41234502700038')
        users = {k: self.counsellor('counsellor_' + k, co)
            for k, co in [('a', a), ('b', b), ('c', c)]}
        with set_company(a):
            alice, pass_ = self.person(a, "Alice", D(2025, 1, 6))
            alice.end_date = D(2025, 6, 30)
            alice.save()
            in_a = self.contract(alice, D(2025, 1, 6), D(2025, 6, 30))
        with set_company(a), self.today(D(2025, 6, 1)):
            suspended, = Suspension.create([{'pass_': pass_.id,
                        'reason': 'contract_suspended',
                        'start_date': D(2025, 5, 1),
                        'end_date': D(2025, 5, 11)}])
        with set_company(b):
            again = Employee(company=b, party=alice.party,
                start_date=D(2025, 7, 1))
            again.save()
            # The PASS recorded by A covers the hiring in B
            in_b = self.contract(again, D(2025, 7, 1), D(2025, 12, 31))
        ids = [pass_.id]
        with self.today(D(2025, 9, 1)):
            with self.as_user(users['b']):
                self.assertEqual(Pass.search([]), [pass_])
                self.assertEqual(Suspension.search([]), [suspended])
                self.assertEqual(Contract.search([]), [in_b])
                self.assertEqual(Pass.read(ids, ['number', 'party']), [{
                            'id': pass_.id, 'number': pass_.number,
                            'party': alice.party.id}])
                self.assertEqual(Pass.export_data(Pass.browse(ids),
                        ['number', 'end_date']),
                    [[pass_.number, D(2027, 1, 15)]])
                new, = Suspension.create([{'pass_': pass_.id,
                            'reason': 'contract_suspended',
                            'start_date': D(2025, 8, 1),
                            'end_date': D(2025, 8, 11)}])
                Suspension.write([new], {'end_date': D(2025, 8, 12)})
                # 2025-01-06 + 729 days + 10 + 11: 2027-01-26
                self.assertEqual(Pass(pass_.id).end_date, D(2027, 1, 26))
            with self.as_user(users['a']):
                self.assertEqual(Pass.search([]), [pass_])
                self.assertEqual(
                    Suspension.search([], order=[('id', 'ASC')]),
                    [suspended, new])
                self.assertEqual(Contract.search([]), [in_a])
                self.assertEqual(Pass.read(ids, ['number']), [{
                            'id': pass_.id, 'number': pass_.number}])
                # A no longer employs her: it changes nothing
                for call in [
                        lambda: Pass.write(Pass.browse(ids), {
                                'start_date': D(2025, 1, 7)}),
                        lambda: Pass.delete(Pass.browse(ids)),
                        lambda: Suspension.write([suspended], {
                                'end_date': D(2025, 5, 12)}),
                        lambda: Suspension.delete([new]),
                        lambda: Suspension.create([{'pass_': pass_.id,
                                    'reason': 'contract_suspended',
                                    'start_date': D(2025, 8, 20),
                                    'end_date': D(2025, 8, 25)}]),
                        ]:
                    with self.refused(AccessError, 'not allowed to'):
                        call()
            with self.as_user(users['c']):
                self.assertEqual(Pass.search([]), [])
                self.assertEqual(Pass.search_count([]), 0)
                self.assertEqual(Suspension.search([]), [])
                self.assertEqual(Contract.search([]), [])
                for call in [
                        lambda: Pass.read(ids, ['number']),
                        lambda: Pass.export_data(Pass.browse(ids),
                            ['number']),
                        lambda: Suspension.read([suspended.id], ['reason']),
                        lambda: Pass.write(Pass.browse(ids), {
                                'start_date': D(2025, 1, 7)}),
                        lambda: Pass.delete(Pass.browse(ids)),
                        lambda: Suspension.delete([suspended]),
                        ]:
                    with self.refused(AccessError, 'not allowed to'):
                        call()
        self.assertEqual(Pass(pass_.id).start_date, D(2025, 1, 6))
        self.assertEqual(len(Suspension.search([])), 2)


del ModuleTestCase
