# This file is part of Pôle.
import pathlib
import re

import polib

from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase

MODULE = pathlib.Path(__file__).resolve().parent.parent


def po_translations(path):
    "Return {(msgctxt, msgid): msgstr} of a .po file"
    return {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(path))}


class AccountFrAssociationTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Account Fr Association module"
    module = 'account_fr_association'

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
