# This file is part of Pôle.
from trytond.modules.hub.tests.tools import HubCompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class HubAssetTestCase(HubCompanyTestMixin, ModuleTestCase):
    "Test Hub Asset module"
    module = 'hub_asset'



del ModuleTestCase
