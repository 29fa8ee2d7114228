# This file is part of Pôle.
import pathlib
import re

import polib

from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

MODULE = pathlib.Path(__file__).resolve().parent.parent


def po_translations(path):
    "Return {(msgctxt, msgid): msgstr} of a .po file"
    return {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(path))}


class AccountFrAssociationTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Account Fr Association module"
    module = 'account_fr_association'

    @with_transaction()
    def test_dedicated_fund_context_without_fiscalyear(self):
        "The dedicated funds open without a fiscal year for today"
        pool = Pool()
        Context = pool.get('account.dedicated_fund.context')
        DedicatedFund = pool.get('account.dedicated_fund')
        company = create_company()
        with set_company(company):
            self.assertIsNone(Context.default_fiscalyear())
            self.assertIsNone(Context.default_from_date())
            self.assertEqual(DedicatedFund.search([]), [])

    def test_french_translations(self):
        "Every message and label of the module is translated into French"
        fr = po_translations(MODULE / 'locale' / 'fr.po')
        messages = re.findall(
            r'<record model="ir.message" id="(\w+)">\s*'
            r'<field name="text">(.*?)</field>',
            (MODULE / 'message.xml').read_text(encoding='utf-8'), re.S)
        self.assertTrue(messages)
        for xml_id, text in messages:
            msgstr = fr.get((f'model:ir.message,text:{xml_id}', text))
            self.assertTrue(msgstr, f'{xml_id} has no French translation')
        untranslated = [k for k, v in fr.items() if not v]
        self.assertEqual(untranslated, [])


del ModuleTestCase
