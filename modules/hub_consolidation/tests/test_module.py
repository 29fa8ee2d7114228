# This file is part of Pôle.
import datetime
import glob
from unittest.mock import patch

from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.hub.tests.tools import create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class HubConsolidationTestCase(CompanyTestMixin, ModuleTestCase):
    "Test hub_consolidation module"
    module = 'hub_consolidation'
    extras = ['hub_invoicing']

    @property
    def _skip_company_rule(self):
        # The pôle's own models, as in hub_invoicing
        return super()._skip_company_rule | {
            ('hub.configuration', 'collective'),
            ('hub.member', 'company'),
            ('hub.invoicing.balance', 'company'),
            ('hub.invoicing.balance', 'counterpart'),
            ('hub.invoicing.mapping', 'target_company'),
            ('hub.invoicing.exception', 'source_company'),
            ('hub.invoicing.exception', 'target_company'),
            ('account.invoice', 'consolidation_company'),
            ('account.move', 'consolidation_company'),
            ('account.move.line', 'consolidation_company'),
            }



class HubConsolidationAloneTestCase(ModuleTestCase):
    "Test hub_consolidation without hub_invoicing (an optional dependency)"
    module = 'hub_consolidation'

    def test_view(self):
        """Every view, but those only hub_invoicing's [register] section
        records (view/*_intermember.xml, checked by the case above)"""
        glob_ = glob.glob

        def without_invoicing(pattern, **kwargs):
            return [f for f in glob_(pattern, **kwargs)
                if not f.endswith('_intermember.xml')]
        with patch('glob.glob', without_invoicing):
            super().test_view()

    @with_transaction()
    def test_eliminated_without_invoicing(self):
        "Lines are eliminated without hub_invoicing's VAT borne as cost"
        pool = Pool()
        Line = pool.get('account.move.line')
        self.assertNotIn('hub_vat_as_cost', Line._fields)
        # No member: the pôle's total result and cash, no inter-member line
        lines = pool.get('hub.consolidation.dashboard').indicators(
            datetime.date(2026, 6, 30))
        self.assertEqual(
            [(l['kind'], l['value']) for l in lines],
            [('result', 0), ('cash', 0)])
        self.assertNotIn('intermember', dict(
                pool.get('hub.consolidation.dashboard.line').kind.selection))
        # The one query of the statements runs: a company with no move
        Consolidation = pool.get('account.consolidation')
        company = create_company("Atelier")
        self.assertEqual(
            Consolidation.hub_balances([company.id], [(None, None)]), [])


del ModuleTestCase
