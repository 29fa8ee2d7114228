"""Benchmark of onboarding: N members (5 by default) onboarded one after the
other with the French chart (account_fr, ~1 235 accounts), each in its own
committed transaction, as the wizard does.  Prints the seconds per member
(the first one, which makes the chart from the templates, apart) and writes
var/bench/onboarding.json.  Target: <= 2 s per member.

PostgreSQL by default; TRYTOND_DATABASE_URI=sqlite:// measures SQLite (an
in-memory database, as the tests use).  BENCH_TEST_MODE=1 measures Tryton's
test mode (what the tests pay: every computed field validated at each save).

Usage: [BENCH_MEMBERS=N] scripts/bench onboarding   or
       python scripts/bench_onboarding.py [N]
"""
import datetime as dt
import os
import statistics
import sys
import time

from benchlib import (
    db_cache, fresh_database, log, production_mode, write_result)

TARGET = 2.0
YEAR = 2026


def database(name, module):
    "fresh_database, or on SQLite the tests' in-memory database"
    uri = os.environ.get('TRYTOND_DATABASE_URI', '')
    if not uri.startswith('sqlite'):
        return fresh_database(name, module)
    os.environ.setdefault('DB_CACHE', db_cache())
    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME, activate_module
    activate_module(module)
    pool = Pool(DB_NAME)
    if DB_NAME not in Pool.database_list():
        pool.init()
    production_mode()
    return pool


def main(count):
    pool = database('bench_onboarding', 'hub')
    if os.environ.get('BENCH_TEST_MODE'):
        from trytond.pool import Pool
        Pool.test = True
    from stdnum.fr import siret as stdnum_siret

    from trytond.modules.hub.member import ONBOARDING_LOCK_TABLES
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction
    sirets = [n for n in ('412345027%05d' % i for i in range(5000))
        if stdnum_siret.is_valid(n)]
    times = []
    for i in range(count):
        started = time.perf_counter()
        with Transaction().start(DB_NAME, 0,
                _lock_tables=list(ONBOARDING_LOCK_TABLES)) as transaction:
            Member = pool.get('hub.member')
            Template = pool.get('account.account.template')
            ModelData = pool.get('ir.model.data')
            chart = Template(ModelData.get_id('account_fr', 'root'))
            Member.onboard("Membre %s" % i, sirets[i], 'aci', chart,
                dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
            transaction.commit()
        times.append(time.perf_counter() - started)
        log('member %s onboarded in %.2fs' % (i, times[-1]))
    backend = os.environ.get('TRYTOND_DATABASE_URI', '').split(':')[0]
    others = times[1:] or times
    result = {
        'backend': backend,
        'test_mode': bool(os.environ.get('BENCH_TEST_MODE')),
        'members': count,
        'first_s': round(times[0], 2),
        'per_member_s': round(statistics.mean(others), 2),
        'max_s': round(max(others), 2),
        'target_s': TARGET,
        }
    print('onboarding (%s%s): first member %.2f s, then %.2f s per member '
        '(max %.2f s; target %.1f s)' % (backend,
            ', test mode' if result['test_mode'] else '', times[0],
            result['per_member_s'], result['max_s'], TARGET))
    write_result('onboarding', result)


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1
        else int(os.environ.get('BENCH_MEMBERS', 5)))
