# This file is part of Pôle.
from trytond.modules.company.tests import CompanyTestMixin, create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from ..member import ANALYTIC_AXES, sum_rows


class HubBookkeepingTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Hub Bookkeeping module"
    module = 'hub_bookkeeping'

    @property
    def _skip_company_rule(self):
        return super()._skip_company_rule | {
            ('hub.configuration', 'collective'),
            ('hub.member', 'company'),
            }

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
        self.assertEqual(len(member.analytic_roots), 2)

    @with_transaction()
    def test_demo_income(self):
        """The demo posts each member's opening funds and its yearly income
        in twelve months on the bank (VAT on a VAT-liable member's sales),
        opening the fiscal year it needs; once"""
        import datetime as dt
        from decimal import Decimal as D
        pool = Pool()
        Demo = pool.get('hub.demo')
        Member = pool.get('hub.member')
        ModelData = pool.get('ir.model.data')
        Template = pool.get('account.account.template')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        FiscalYear = pool.get('account.fiscalyear')

        template = Template(ModelData.get_id('account_fr', 'root'))
        start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
        members = {
            'atelier': Member.onboard(
                "Atelier", '41234502700012', 'aci', template, start, end),
            'scop': Member.onboard(
                "SCOP", '41234503500015', 'ei', template, start, end,
                vat_liable=True),
            }
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


del ModuleTestCase
