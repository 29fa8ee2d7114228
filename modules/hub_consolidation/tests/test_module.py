# This file is part of Pôle.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class HubConsolidationTestCase(CompanyTestMixin, ModuleTestCase):
    "Test hub_consolidation module"
    module = 'hub_consolidation'

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


del ModuleTestCase
