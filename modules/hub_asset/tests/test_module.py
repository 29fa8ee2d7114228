# This file is part of Pôle.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class HubAssetTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Hub Asset module"
    module = 'hub_asset'

    @property
    def _skip_company_rule(self):
        return super()._skip_company_rule | {
            ('hub.configuration', 'collective'),
            ('hub.member', 'company'),
            }


del ModuleTestCase
