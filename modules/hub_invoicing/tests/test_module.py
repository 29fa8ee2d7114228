# This file is part of Pôle.
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.modules.account.tests import create_chart
from trytond.modules.company.tests import set_company
from trytond.modules.hub.tests.tools import HubCompanyTestMixin, create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from ..allocation import allocate


class AllocationTestCase(unittest.TestCase):
    "Largest remainder, worked by hand"

    def test_thirds(self):
        "1 000.00 over 1/3, 1/3, 1/3: 100000 cents, 33333.33 each, floor 33333, 1 cent left to the first (ties: order)"
        self.assertEqual(
            allocate(D('1000.00'), [('a', 1), ('b', 1), ('c', 1)]),
            {'a': D('333.34'), 'b': D('333.33'), 'c': D('333.33')})

    def test_largest_remainder_wins(self):
        """100.00 over 2, 3, 2 (total 7): quotas 2857.142..., 4285.714...,
        2857.142... cents; floors 2857 + 4285 + 2857 = 9999; the cent left
        goes to the largest remainder .714 (b), not to the first key"""
        self.assertEqual(
            allocate(D('100.00'), [('a', 2), ('b', 3), ('c', 2)]),
            {'a': D('28.57'), 'b': D('42.86'), 'c': D('28.57')})

    def test_revenue_weights(self):
        """0.05 over 10 000, 10 000, 1 (total 20 001): quotas 2.4998...,
        2.4998..., 0.0002... cents; floors 2, 2, 0; 1 cent left to a
        (remainders .4998 = .4998 > .0002, tie to the earlier)"""
        result = allocate(
            D('0.05'), [('a', D('10000')), ('b', D('10000')), ('c', 1)])
        self.assertEqual(result, {'a': D('0.03'), 'b': D('0.02'), 'c': D(0)})
        self.assertEqual(sum(result.values()), D('0.05'))

    def test_negative_total(self):
        "A credit is split like the debit, signs kept: -10.00 over 1, 2"
        self.assertEqual(
            allocate(D('-10.00'), [('a', 1), ('b', 2)]),
            {'a': D('-3.33'), 'b': D('-6.67')})

    def test_invalid(self):
        "No weight, negative weight, or sub-cent total"
        for total, weights in [
                (D('1'), [('a', 0)]),
                (D('1'), [('a', 2), ('b', -1)]),
                (D('1.005'), [('a', 1)])]:
            with self.assertRaises(ValueError):
                allocate(total, weights)


class HubInvoicingTestCase(HubCompanyTestMixin, ModuleTestCase):
    "Test Hub Invoicing module"
    module = 'hub_invoicing'
    extras = ['timesheet']

    @property
    def _skip_company_rule(self):
        return super()._skip_company_rule | {
            ('hub.invoicing.balance', 'counterpart'),
            ('hub.invoicing.mapping', 'target_company'),
            # one rule on either company of the pair (see invoicing.xml)
            ('hub.invoicing.exception', 'source_company'),
            ('hub.invoicing.exception', 'target_company'),
            ('account.invoice', 'consolidation_company'),
            ('account.move', 'consolidation_company'),
            ('account.move.line', 'consolidation_company'),
            }

    @with_transaction()
    def test_key_hours(self):
        """Hours key: the collective's timesheet hours over the period on the
        works done for each member, worked by hand"""
        pool = Pool()
        Member = pool.get('hub.member')
        Employee = pool.get('company.employee')
        Party = pool.get('party.party')
        Work = pool.get('timesheet.work')
        Line = pool.get('timesheet.line')
        Service = pool.get('hub.service')
        Run = pool.get('hub.billing.run')
        BillingLine = pool.get('hub.billing.line')

        collective = create_company("Collectif")
        members = []
        for name, siret in [
                ("Atelier", '41234502700012'), ("Jardins", '41234503500015')]:
            member = Member(company=create_company(name), kind='aci',
                siret=siret, joined=dt.date(2020, 1, 1))
            member.save()
            members.append(member)
        atelier, jardins = members

        def hours(company, work, date, duration):
            with set_company(company):
                party = Party(name="Staff")
                party.save()
                employee = Employee(company=company, party=party)
                employee.save()
                Line(company=company, employee=employee, work=work,
                    date=date, duration=duration).save()

        with set_company(collective):
            create_chart(collective)
            revenue, = pool.get('account.account').search([
                    ('company', '=', collective.id),
                    ('type.revenue', '=', True)], limit=1)
            for_atelier = Work(name="Books", company=collective,
                hub_member=atelier)
            for_jardins = Work(name="IT", company=collective,
                hub_member=jardins)
            internal = Work(name="Internal", company=collective)
            Work.save([for_atelier, for_jardins, internal])
        own_work = Work(name="Own", company=jardins.company,
            hub_member=jardins)
        own_work.save()
        h = dt.timedelta(hours=1)
        # atelier: 2h30 + 1h in March = 3.5 (February's hour is out)
        hours(collective, for_atelier, dt.date(2026, 3, 2), 2.5 * h)
        hours(collective, for_atelier, dt.date(2026, 3, 31), h)
        hours(collective, for_atelier, dt.date(2026, 2, 28), h)
        # jardins: 4h in March = 4 (April's 3h and its own staff's 10h out)
        hours(collective, for_jardins, dt.date(2026, 3, 15), 4 * h)
        hours(collective, for_jardins, dt.date(2026, 4, 1), 3 * h)
        hours(jardins.company, own_work, dt.date(2026, 3, 15), 10 * h)
        # work for nobody: not counted
        hours(collective, internal, dt.date(2026, 3, 10), 5 * h)

        with set_company(collective):
            service = Service(name="IT facilitation", company=collective,
                cost=D('100.00'), key='hours', periodicity='month',
                account=revenue)
            service.save()
            self.assertEqual(
                service.key_values(
                    dt.date(2026, 3, 1), dt.date(2026, 3, 31), members),
                {atelier: D('3.5'), jardins: D('4')})
            # 100.00 over 3.5 / 7.5 and 4 / 7.5: 4666.67 and 5333.33 cents,
            # floors 4666 + 5333, the cent left to the larger remainder
            run = Run(company=collective, periodicity='month',
                start_date=dt.date(2026, 3, 1))
            run.save()
            run._allocate()
            self.assertEqual(
                [(l.member, l.key, l.key_value, l.key_total, l.amount)
                    for l in BillingLine.search([('run', '=', run.id)])],
                [(atelier, 'hours', D('3.5'), D('7.5'), D('46.67')),
                    (jardins, 'hours', D('4'), D('7.5'), D('53.33'))])

    @with_transaction()
    def test_run_end_date(self):
        "A run's end date follows its start date and periodicity when saved"
        pool = Pool()
        Run = pool.get('hub.billing.run')
        collective = create_company("Collectif")
        with set_company(collective):
            run = Run(company=collective, periodicity='month',
                start_date=dt.date(2026, 10, 1))
            run.save()
            self.assertEqual(run.end_date, dt.date(2026, 10, 31))
            # The start date alone, as the client writes it
            Run.write([run], {'start_date': dt.date(2026, 12, 1)})
            self.assertEqual(run.end_date, dt.date(2026, 12, 31))
            # Both together, then each alone
            Run.write([run], {'periodicity': 'quarter',
                    'start_date': dt.date(2026, 10, 1)})
            self.assertEqual(run.end_date, dt.date(2026, 12, 31))
            Run.write([run], {'start_date': dt.date(2027, 1, 1)})
            self.assertEqual(run.end_date, dt.date(2027, 3, 31))
            Run.write([run], {'periodicity': 'month'})
            self.assertEqual(run.end_date, dt.date(2027, 1, 31))
            run.start_date = dt.date(2027, 2, 1)
            self.assertEqual(run.on_change_with_end_date(),
                dt.date(2027, 2, 28))


del ModuleTestCase
