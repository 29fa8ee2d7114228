# This file is part of Pôle.
from trytond.modules.hub.tests.tools import HubCompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class HubEInvoiceTestCase(HubCompanyTestMixin, ModuleTestCase):
    "Test Hub E-Invoice module"
    module = 'hub_einvoice'
    extras = ['hub_invoicing']

    @property
    def _skip_company_rule(self):
        # hub_invoicing's fields, its own tests say why
        return super()._skip_company_rule | {
            ('hub.invoicing.balance', 'counterpart'),
            ('hub.invoicing.mapping', 'target_company'),
            ('hub.invoicing.exception', 'source_company'),
            ('hub.invoicing.exception', 'target_company'),
            ('account.invoice', 'consolidation_company'),
            ('account.move', 'consolidation_company'),
            ('account.move.line', 'consolidation_company'),
            }


del ModuleTestCase
