# This file is part of Pôle.
import datetime as dt
import pathlib
import re

import polib

from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.modules.hub.tests.tools import chart_snapshot
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

MODULE = pathlib.Path(__file__).resolve().parent.parent


def po_translations(path):
    "Return {(msgctxt, msgid): msgstr} of a .po file"
    return {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(path))}


class AccountFrAssociationTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Account Fr Association module"
    module = 'account_fr_association'
    extras = ['hub_bookkeeping']  # the set of its scenarios

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

    @with_transaction()
    def test_chart_from_templates(self):
        """With the hub, the association chart made from its templates in
        SQL equals account's wizard's, overrides and placeholders of the
        PCG included, and update chart changes nothing"""
        pool = Pool()
        Member = pool.get('hub.member')
        Account = pool.get('account.account')
        Type = pool.get('account.account.type')
        Template = pool.get('account.account.template')
        ModelData = pool.get('ir.model.data')
        UpdateChart = pool.get('account.update_chart', type='wizard')
        template = Template(ModelData.get_id('account_fr_association', 'root'))
        member = Member.onboard("Atelier Premier", '41234504300019', 'aci',
            template, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        witness = Member._onboard_company(
            "Témoin", '41234506800008', None, None, None, None)
        Member._onboard_chart(witness, template, copy=False, wizard=True)

        made = chart_snapshot(witness)
        self.assertGreater(len(made['account.account']), 1200)
        self.assertEqual(chart_snapshot(member.company), made)
        # an override (the association's 102, its name) and an account of
        # the association plan only (689 under 68), both with their types
        for code, name, parent in [
                ('102', "Fonds propres sans droit de reprise", '10'),
                ('689', "Reports en fonds dédiés", '68')]:
            account, = Account.search([
                    ('company', '=', member.company.id), ('code', '=', code)])
            self.assertEqual((account.name, account.parent.code),
                (name, parent))
        self.assertEqual(
            Type.search([('company', '=', member.company.id)], count=True),
            Type.search([('company', '=', witness.id)], count=True))

        root, = Account.search([
                ('company', '=', member.company.id), ('parent', '=', None)])
        session_id, _, _ = UpdateChart.create()
        update = UpdateChart(session_id)
        update.start.account = root
        self.assertEqual(update.transition_update(), 'succeed')
        UpdateChart.delete(session_id)
        self.assertEqual(chart_snapshot(member.company), made)

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
