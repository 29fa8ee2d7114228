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
