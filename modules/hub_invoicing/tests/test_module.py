# This file is part of Pôle.
import unittest
from decimal import Decimal as D

from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase

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


class HubInvoicingTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Hub Invoicing module"
    module = 'hub_invoicing'

    @property
    def _skip_company_rule(self):
        return super()._skip_company_rule | {
            ('hub.configuration', 'collective'),
            ('hub.member', 'company'),
            ('hub.invoicing.balance', 'counterpart'),
            ('hub.invoicing.mapping', 'target_company'),
            # one rule on either company of the pair (see invoicing.xml)
            ('hub.invoicing.exception', 'source_company'),
            ('hub.invoicing.exception', 'target_company'),
            ('account.invoice', 'consolidation_company'),
            ('account.move', 'consolidation_company'),
            ('account.move.line', 'consolidation_company'),
            }


del ModuleTestCase
