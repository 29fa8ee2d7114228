"""Benchmark of the year-end batch on PostgreSQL: N members (50 as issue 13
asks) onboarded for real, each with a year of a few posted entries, then
the batch "close the year" (result to 120/129, close, lock, next year
opened) and "allocate" over all of them.  Prints the seconds per member of
each and writes var/bench/year_end.json.  Target: <= 2 s per member.

Usage: [BENCH_MEMBERS=N] scripts/bench year_end   or
       python scripts/bench_year_end.py [N]
"""
import datetime as dt
import logging
import os
import statistics
import sys
import time
from decimal import Decimal

from benchlib import fresh_database, log, write_result

TARGET = 2.0
YEAR = 2026
# (debit, credit, amount): sales, subsidy, supplies, salaries
ENTRIES = [
    ('5121', '706', '3000.00'),
    ('5121', '74', '2000.00'),
    ('6063', '5121', '3350.00'),
    ('6411', '5121', '450.00'),
    ]


def build(pool, database, count):
    from stdnum.fr import siret as stdnum_siret

    from trytond.transaction import Transaction
    Member = pool.get('hub.member')
    Account = pool.get('account.account')
    Journal = pool.get('account.journal')
    Move = pool.get('account.move')
    Line = pool.get('account.move.line')
    Period = pool.get('account.period')
    ModelData = pool.get('ir.model.data')
    Template = pool.get('account.account.template')
    User = pool.get('res.user')
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    sirets = [n for n in ('412345027%05d' % i for i in range(5000))
        if stdnum_siret.is_valid(n)]
    from trytond.modules.hub.member import ONBOARDING_LOCK_TABLES
    extras = {'_lock_tables': ONBOARDING_LOCK_TABLES + [
            'account_journal_period']}
    with Transaction().start(database, 0, **extras) as transaction:
        chart = Template(ModelData.get_id('account_fr', 'root'))
        journal, = Journal.search([('type', '=', 'general')], limit=1)
        companies, onboarding = [], []
        for i in range(count):
            started = time.perf_counter()
            member = Member.onboard("Membre %s" % i, sirets[i], 'aci', chart,
                start, end)
            onboarding.append(time.perf_counter() - started)
            company = member.company
            companies.append(company.id)
            with Transaction().set_context(company=company.id):
                moves = []
                for n, (debit, credit, amount) in enumerate(ENTRIES):
                    date = dt.date(YEAR, 3 + n, 15)
                    amount = Decimal(amount)
                    moves.append(Move(company=company, journal=journal,
                            date=date, period=Period.find(company, date=date),
                            description="Écriture %s" % n, lines=[
                                Line(account=Account.open_account(
                                        company, debit),
                                    debit=amount, credit=0),
                                Line(account=Account.open_account(
                                        company, credit),
                                    debit=0, credit=amount),
                                ]))
                Move.save(moves)
                Move.post(moves)
            log('member %s made' % i)
        admin = User(1)
        User.write([admin], {'companies': [('add', companies)]})
        transaction.commit()
    # account_fr's chart by Tryton's wizard, the company and the year
    print('onboarding %3d members %7.1f s  %5.2f s per member (median), '
        'target 2.0' % (count, sum(onboarding),
            statistics.median(onboarding)))
    return {'seconds': sum(onboarding),
        'per_member': statistics.median(onboarding)}


class Restarts(logging.Handler):
    "Counts the members' transactions restarted to lock a table first"
    count = 0

    def emit(self, record):
        if record.getMessage().startswith('restarted'):
            self.count += 1


def timed(database, func):
    from trytond.transaction import Transaction
    with Transaction().start(database, 0):
        started, cpu = time.perf_counter(), time.process_time()
        results = func()
        timed.cpu = time.process_time() - cpu
        return time.perf_counter() - started, results


def main(count=int(os.environ.get('BENCH_MEMBERS', 50))):
    pool = fresh_database('bench_year_end', 'hub_bookkeeping')
    from trytond.tests.test_tryton import DB_NAME
    onboarding = build(pool, DB_NAME, count)
    Member = pool.get('hub.member')
    date = dt.date(YEAR, 12, 31)
    values = {'members': count, 'onboarding': onboarding}
    restarts = Restarts()
    batch_logger = logging.getLogger('trytond.modules.hub_bookkeeping.member')
    batch_logger.addHandler(restarts)
    batch_logger.setLevel(logging.DEBUG)
    for name, func in [
            ('close_year', lambda: Member.close_years(date)),
            ('allocate', lambda: Member.allocate_results(date)),
            ]:
        restarts.count = 0
        seconds, results = timed(DB_NAME, func)
        failed = [r for r in results if r['status'] != 'done']
        for result in failed:
            log('%s %s: %s' % (result['member'], result['status'],
                    result['detail']))
        per_member = seconds / count
        # Trytond's own CPU beside the wall clock, which a loaded machine
        # (or PostgreSQL's share) lengthens
        cpu_per_member = timed.cpu / count
        values[name] = {'seconds': seconds, 'per_member': per_member,
            'cpu_per_member': cpu_per_member,
            'not_done': len(failed), 'restarts': restarts.count}
        print('%-10s %3d members %7.1f s  %5.2f s per member (target %.1f), '
            'trytond CPU %.2f s per member, %d restarts' % (name, count,
                seconds, per_member, TARGET, cpu_per_member,
                restarts.count))
    write_result('year_end', values)


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
