# This file is part of Pôle.
"Two onboardings at once, in real transactions"
import datetime as dt
import threading
import unittest

from trytond import backend
from trytond.modules.hub.tests.tools import run_restarted
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, activate_module, drop_db
from trytond.transaction import Transaction

MEMBERS = [("Atelier Simultané", '41234504300019'),
    ("Jardin Simultané", '41234505000014')]


def nested_set_errors(cursor):
    """What breaks the nested set of account_account: a place given twice,
    or an account outside its parent"""
    cursor.execute('SELECT id, parent, "left", "right" FROM account_account')
    rows = {id_: (parent, left, right)
        for id_, parent, left, right in cursor}
    places = [p for _, left, right in rows.values() for p in (left, right)]
    errors = []
    if len(places) != len(set(places)):
        errors.append("%d places given twice"
            % (len(places) - len(set(places))))
    for id_, (parent, left, right) in rows.items():
        if parent is not None:
            _, parent_left, parent_right = rows[parent]
            if not parent_left < left < right < parent_right:
                errors.append("account %s outside its parent" % id_)
    return errors


@unittest.skipUnless(
    backend.name == 'postgresql', "needs concurrent transactions")
class ConcurrentOnboardingTestCase(unittest.TestCase):
    "Two members onboarded at once get charts that do not overlap"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Committed data: a database of its own, dropped afterwards
        drop_db()
        activate_module('hub')

    @classmethod
    def tearDownClass(cls):
        drop_db()
        super().tearDownClass()

    def run_at_once(self, func, args):
        """Run func(*a) for each a of args in threads started together, each
        in its own transaction, committed; restarted as trytond does"""
        errors = []
        barrier = threading.Barrier(len(args))

        def run(*arg):
            try:
                barrier.wait()
                # The other one may hold the locks or write the same rows
                run_restarted(lambda pool: func(pool, *arg),
                    attempts=40, pause=lambda attempt: 0.5)
            except Exception as exception:
                errors.append(exception)

        threads = [threading.Thread(target=run, args=a) for a in args]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])

    def check_charts(self, companies):
        "Each company has account_fr's chart, and the nested set holds"
        with Transaction().start(DB_NAME, 0, readonly=True) as transaction:
            Account = Pool().get('account.account')
            for company in companies:
                self.assertGreater(Account.search_count(
                        [('company', '=', company)]), 500)
            self.assertEqual(
                nested_set_errors(transaction.connection.cursor()), [])

    def test_two_onboardings(self):
        "The accountant onboards two members at the same time"
        def onboard(pool, name, siret):
            pool.get('hub.member').onboard(name, siret, 'aci', chart(pool),
                dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        self.run_at_once(onboard, MEMBERS)
        with Transaction().start(DB_NAME, 0, readonly=True):
            members = Pool().get('hub.member').search([])
            self.assertEqual(sorted(m.rec_name for m in members),
                sorted(name for name, _ in MEMBERS))
            companies = [m.company.id for m in members]
        self.check_charts(companies)

    def test_two_charts(self):
        """Charts made from the templates for two companies at the same
        time: new charts go at the end of the nested set, each in its own
        rows, so only the lock keeps them from taking the same places"""
        companies = {}  # by name: a restarted transaction sets it again

        def company(pool, name, siret):
            companies[name] = pool.get('hub.member')._onboard_company(
                name, siret, None, None, None, None).id
        for args in [("Société 0", '41234506800024'),
                ("Société A", '41234506800008'),
                ("Société B", '41234506800016')]:
            self.run_at_once(company, [args])

        def create_chart(pool, company_id):
            pool.get('hub.member')._onboard_chart(
                pool.get('company.company')(company_id), chart(pool))
        # A first chart creates the configurations, which lock their tables
        first = companies.pop("Société 0")
        self.run_at_once(create_chart, [(first,)])
        self.run_at_once(create_chart, [(c,) for c in companies.values()])
        self.check_charts([first, *companies.values()])


def chart(pool):
    ModelData = pool.get('ir.model.data')
    return pool.get('account.account.template')(
        ModelData.get_id('account_fr', 'root'))
