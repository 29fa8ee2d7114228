# This file is part of Pôle.
"""The access checks of hub/access.py and res.py, server-side.

Two members, A and B, onboarded with their books and a posted move each;
a user of A only, in the accounting group (what a member's own accountant
would be), and a director of A.  Each check is done as that user with
access checks on, as the JSON-RPC dispatcher runs a call.
"""
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model.exceptions import AccessError
from trytond.modules.hub.tests.tools import onboard_member
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction


def onboard(name, siret):
    "An ACI on account_fr's chart, the current calendar year"
    year = dt.date.today().year
    return onboard_member(
        name, siret, 'aci', dt.date(year, 1, 1), dt.date(year, 12, 31))


def post_move(company, amount):
    pool = Pool()
    Account = pool.get('account.account')
    Journal = pool.get('account.journal')
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    Period = pool.get('account.period')

    def account(kind):
        account, = Account.search([
                ('company', '=', company.id),
                ('type.%s' % kind, '=', True),
                ('closed', '=', False),
                ('party_required', '=', False),
                ], order=[('code', 'ASC'), ('id', 'ASC')], limit=1)
        return account
    today = dt.date.today()
    journal, = Journal.search([('type', '=', 'general')], limit=1)
    with Transaction().set_context(company=company.id):
        move = Move(
            company=company, journal=journal, date=today,
            period=Period.find(company, date=today),
            description="Test %s" % company.rec_name,
            lines=[
                Line(account=account('expense'), debit=amount),
                Line(account=account('revenue'), credit=amount),
                ])
        move.save()
        Move.post([move])
    return move


def create_user(login, company, groups):
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    user = User(
        login=login, companies=[company], company=company,
        groups=[ModelData.get_id(*g.split('.')) for g in groups])
    user.save()
    return user


def as_user(user):
    "What the dispatcher does for a call of user: access checks on"
    return Transaction().set_user(user.id), Transaction().set_context(
        company=user.company.id, _check_access=True)


class HubAccessTestCase(unittest.TestCase):
    "Access checks of hub"

    @classmethod
    def setUpClass(cls):
        activate_module('hub')

    @with_transaction()
    def test_access(self):
        "Each check on the same two members (onboarding is slow)"
        a = onboard("Association Alpha", '41234501900019')
        b = onboard("Association Bêta", '41234502700012')
        move_a = post_move(a.company, Decimal('250.00'))
        move_b = post_move(b.company, Decimal('310.40'))
        user = create_user('compta_a', a.company, ['account.group_account'])
        members = a, b, move_a, move_b, user
        for check in [
                self.check_export_rules_through_relations,
                self.check_wizard_form_values,
                self.check_context_company,
                self.check_wizard_groups,
                self.check_preferences_company,
                self.check_create_links,
                ]:
            with self.subTest(check.__name__):
                check(*members)

    def check_export_rules_through_relations(
            self, a, b, move_a, move_b, user):
        "export_data refuses B's move lines (their rule goes through move)"
        pool = Pool()
        Line = pool.get('account.move.line')
        user_context, check = as_user(user)
        with user_context, check:
            rows = Line.export_data(
                Line.browse([l.id for l in move_a.lines]),
                ['debit', 'credit', 'move/number'])
            self.assertEqual(
                sorted((r[0], r[1]) for r in rows),
                [(Decimal(0), Decimal('250.00')),
                    (Decimal('250.00'), Decimal(0))])
            self.assertEqual({r[2] for r in rows}, {move_a.number})
            for ids in [[l.id for l in move_b.lines],
                    [move_a.lines[0].id, move_b.lines[0].id]]:
                with self.assertRaises(AccessError):
                    Line.export_data(Line.browse(ids), ['debit'])
            self.assertEqual(
                len(Line.export_data_domain([], ['debit'])), 2)

    def check_wizard_form_values(self, a, b, move_a, move_b, user):
        "The FEC wizard refuses B's fiscal year; A's gives A's FEC"
        pool = Pool()
        FEC = pool.get('account.fr.fec', type='wizard')
        FiscalYear = pool.get('account.fiscalyear')
        year_a, = FiscalYear.search([('company', '=', a.company.id)])
        year_b, = FiscalYear.search([('company', '=', b.company.id)])
        user_context, check = as_user(user)
        with user_context, check:
            session_id, _, _ = FEC.create()
            with self.assertRaises(AccessError):
                FEC.execute(session_id, {
                        'start': {'fiscalyear': year_b.id, 'type': 'is-bic'},
                        }, 'generate')
            result = FEC.execute(session_id, {
                    'start': {'fiscalyear': year_a.id, 'type': 'is-bic'},
                    }, 'generate')
        content = result['view']['defaults']['file']
        content = content.decode('iso-8859-15') if isinstance(
            content, bytes) else content
        self.assertIn('250,00', content)
        self.assertNotIn('310,40', content)

    def check_context_company(self, a, b, move_a, move_b, user):
        "A wizard or report run with B in the context is refused"
        pool = Pool()
        FEC = pool.get('account.fr.fec', type='wizard')
        GeneralJournal = pool.get('account.move.general_journal',
            type='report')
        with Transaction().set_user(user.id), Transaction().set_context(
                company=b.company.id, _check_access=True):
            with self.assertRaisesRegex(AccessError, "Bêta"):
                FEC.create()
            with self.assertRaisesRegex(AccessError, "Bêta"):
                GeneralJournal.execute([move_a.id], {})
        user_context, check = as_user(user)
        with user_context, check:
            # Tryton's own read rule still refuses B's move.
            with self.assertRaises(AccessError):
                GeneralJournal.execute([move_b.id], {})

    def check_wizard_groups(self, a, b, move_a, move_b, user):
        "A director reaches no stock accounting wizard"
        pool = Pool()
        FEC = pool.get('account.fr.fec', type='wizard')
        Balance = pool.get(
            'account.fiscalyear.balance_non_deferral', type='wizard')
        director = create_user('dir_a', a.company, ['hub.group_hub_director'])
        user_context, check = as_user(director)
        with user_context, check:
            for Wizard in [FEC, Balance]:
                with self.assertRaises(AccessError):
                    Wizard.create()

    def check_preferences_company(self, a, b, move_a, move_b, user):
        "A user cannot switch to a company not given to them"
        pool = Pool()
        User = pool.get('res.user')
        with Transaction().set_user(user.id):
            with self.assertRaisesRegex(AccessError, "Bêta"):
                User.set_preferences({'company': b.company.id})
            User.set_preferences({'company': a.company.id})
        self.assertEqual(User(user.id).company, a.company)

    def check_create_links(self, a, b, move_a, move_b, user):
        "A record of A cannot be created on B's period"
        pool = Pool()
        Move = pool.get('account.move')
        count = Move.search_count([])
        user_context, check = as_user(user)
        with user_context, check:
            with self.assertRaises(AccessError):
                Move.create([{
                            'company': a.company.id,
                            'journal': move_a.journal.id,
                            'period': move_b.period.id,
                            'date': move_b.date,
                            }])
        self.assertEqual(Move.search_count([]), count)

    @with_transaction()
    def test_login_ban_minutes(self):
        "Failed logins count for [session] ban_minutes, not the timeout"
        pool = Pool()
        Attempt = pool.get('res.user.login.attempt')
        delay = dt.datetime.now() - Attempt.delay()
        self.assertAlmostEqual(delay.total_seconds(), 15 * 60, delta=5)
