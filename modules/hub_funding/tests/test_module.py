# This file is part of Pôle.
from trytond.modules.hub.tests.tools import HubCompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class HubFundingTestCase(HubCompanyTestMixin, ModuleTestCase):
    "Test Hub Funding module"
    module = 'hub_funding'
    extras = ['insertion_payroll']


del ModuleTestCase
