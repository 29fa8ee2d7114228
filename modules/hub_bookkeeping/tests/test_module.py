# This file is part of Pôle.
import datetime as dt

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.account.tests import get_fiscalyear
from trytond.modules.company.tests import set_company
from trytond.modules.hub.tests.tools import HubCompanyTestMixin, create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from ..member import ANALYTIC_AXES, sum_rows


class HubBookkeepingTestCase(HubCompanyTestMixin, ModuleTestCase):
    "Test Hub Bookkeeping module"
    module = 'hub_bookkeeping'


    @with_transaction()
    def test_analytic_axes_idempotent(self):
        "The default analytic axes are created once per company"
        pool = Pool()
        Member = pool.get('hub.member')
        Account = pool.get('analytic_account.account')

        company = create_company("Atelier")
        member = Member(company=company, kind='aci', siret='41234502700012')
        member.save()

        Member.create_analytic_axes([member])
        Member.create_analytic_axes([member])
        roots = Account.search([('company', '=', company.id)])
        self.assertEqual(
            sorted((a.code, a.name, a.type) for a in roots),
            [(c, n, 'root') for c, n in ANALYTIC_AXES])
        # Shown to whom works in the member's company now, empty (not an
        # access error on the axes) from another company
        with Transaction().set_context(_companies=[company.id]):
            self.assertEqual(len(Member(member.id).analytic_roots), 2)
        other = create_company("Autre")
        with Transaction().set_context(_companies=[other.id]):
            self.assertEqual(Member(member.id).analytic_roots, ())

    @with_transaction()
    def test_books_of_the_user_only(self):
        """The batch, the trial balance and the statements take only the
        members the user works on, with their own periods: a user of the
        accountants' group given A only is refused B, nothing done"""
        pool = Pool()
        Member = pool.get('hub.member')
        FiscalYear = pool.get('account.fiscalyear')
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        members, periods, fiscalyears = two_members()
        atelier, jardins = members["Atelier"], members["Jardins"]
        user = User(login='compta_atelier', name="Compta Atelier",
            companies=[atelier.company], company=atelier.company,
            groups=[ModelData.get_id('hub', 'group_hub_accountant'),
                ModelData.get_id('account', 'group_account')])
        user.save()

        with Transaction().set_user(user.id), Transaction().set_context(
                company=atelier.company.id):
            with self.assertRaisesRegex(
                    AccessError, 'no access to the books of "Jardins"'):
                Member.lock_fiscalyears(
                    dt.date(2026, 6, 15), [atelier, jardins])
            with self.assertRaisesRegex(
                    AccessError, 'no access to the books of "Jardins"'):
                Member.check_report_access(jardins, period=periods["Jardins"])
            with self.assertRaisesRegex(AccessError,
                    '"2026-03" is not in the books of "Atelier"'):
                Member.check_report_access(
                    atelier, period=periods["Jardins"])
            with self.assertRaisesRegex(AccessError,
                    'is not in the books of "Atelier"'):
                Member.check_report_access(
                    atelier, fiscalyear=fiscalyears["Jardins"])
            with self.assertRaisesRegex(
                    AccessError, 'no access to the books of "Jardins"'):
                Member.trial_balance(periods["Jardins"].id)
            # Her own: no move yet, no row
            self.assertEqual(Member.trial_balance(periods["Atelier"].id), [])
        # Nothing was locked, nor closed
        self.assertEqual(
            [f.state for f in FiscalYear.browse(
                    [f.id for f in fiscalyears.values()])],
            ['open', 'open'])

    @with_transaction()
    def test_statement_bad_input(self):
        """The ANC statements of a member asked for a fiscal year or period
        of another member, a period of another year, or no fiscal year:
        named errors, from the wizard and from the report's data; nothing
        written"""
        pool = Pool()
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        Statement = pool.get('hub.bookkeeping.statement', type='report')
        Print = pool.get('hub.bookkeeping.statement.print', type='wizard')
        members, periods, fiscalyears = two_members()
        atelier = members["Atelier"]
        own, other = fiscalyears["Atelier"], fiscalyears["Jardins"]
        cases = [
            (other, None, '"2026" is not in the books of "Atelier"'),
            (own, periods["Jardins"],
                '"2026-03" is not in the books of "Atelier"'),
            (None, None, 'The statements of "Atelier" need a fiscal year'),
            ]
        with set_company(atelier.company):
            # A period of the member's other year: not the one asked for
            later = get_fiscalyear(atelier.company,
                today=dt.date(2027, 6, 15))
            later.save()
            pool.get('account.fiscalyear').create_period([later])
            cases.append((own, later.periods[0],
                    '"2027-01" is not in the books of "Atelier"'))
            for fiscalyear, period, message in cases:
                data = {'model': 'hub.member', 'id': atelier.id,
                    'ids': [atelier.id],
                    'fiscalyear': fiscalyear.id if fiscalyear else None,
                    'period': period.id if period else None}
                with self.assertRaisesRegex(UserError, message):
                    Statement.execute([atelier.id], data)
                session_id, _, _ = Print.create()
                wizard = Print(session_id)
                wizard.start.member = atelier
                wizard.start.fiscalyear = fiscalyear
                wizard.start.period = period
                wizard.start.format = 'pdf'
                with self.assertRaisesRegex(UserError, message):
                    wizard.do_print_(None)
                Print.delete(session_id)
        self.assertEqual(Move.search([]), [])
        self.assertEqual({p.state for p in Period.search([])}, {'open'})

    def test_sum_rows(self):
        "Totals of trial balance rows"
        from decimal import Decimal as D
        rows = [
            {'debit': D('1249.90'), 'credit': D(0), 'balance': D('1249.90'),
                'previous_debit': D(0), 'previous_credit': D('2000'),
                'previous_balance': D('-2000')},
            {'debit': D(0), 'credit': D('1249.90'),
                'balance': D('-1249.90'), 'previous_debit': D('2000'),
                'previous_credit': D(0), 'previous_balance': D('2000')},
            ]
        self.assertEqual(sum_rows(rows), {
                'debit': D('1249.90'), 'credit': D('1249.90'),
                'balance': D(0), 'previous_debit': D('2000'),
                'previous_credit': D('2000'), 'previous_balance': D(0)})

    def test_format_amount(self):
        "Dates and figures in the messages are written the French way"
        import datetime as dt
        from decimal import Decimal as D

        from trytond.modules.hub.format import (
            format_amount, format_date, format_number)
        self.assertEqual(format_amount(D('1200')), '1 200,00')
        self.assertEqual(format_amount(D('-395.5')), '-395,50')
        self.assertEqual(format_amount(D('1234567.891')), '1 234 567,89')
        self.assertEqual(format_amount(None), '')
        self.assertEqual(format_number(D('35.00')), '35')
        self.assertEqual(format_number(D('1607')), '1 607')
        self.assertEqual(format_number(D('12.50')), '12,5')
        self.assertEqual(format_date(dt.date(2027, 7, 5)), '05/07/2027')
        self.assertEqual(format_date(None), '')


def two_members():
    """Atelier and Jardins, each with the fiscal year 2026 and its months:
    the members, their periods of March and their fiscal years by name"""
    pool = Pool()
    Member = pool.get('hub.member')
    FiscalYear = pool.get('account.fiscalyear')
    members, periods, fiscalyears = {}, {}, {}
    for name, siret in [
            ("Atelier", '41234502700012'), ("Jardins", '41234503500015')]:
        company = create_company(name)
        with set_company(company):
            fiscalyear = get_fiscalyear(company, today=dt.date(2026, 6, 15))
            fiscalyear.save()
            FiscalYear.create_period([fiscalyear])
        members[name] = Member(company=company, kind='aci', siret=siret)
        members[name].save()
        fiscalyears[name] = fiscalyear
        periods[name] = fiscalyear.periods[2]
    return members, periods, fiscalyears


del ModuleTestCase
