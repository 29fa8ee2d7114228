"""Build the demo pôle in an existing database, server-side, in one transaction.

Usage: python scripts/build_demo.py [-c CONFIG...] [config/demo.json]
CONFIG: trytond configuration files (default config/trytond.conf; scripts/demo
--postgresql adds one naming the server).
The database must exist with the modules activated, pole_demo (the builder,
hub.demo) included (scripts/demo does it).
Safe to run twice: what exists is kept.
"""
import argparse
import datetime as dt
import json
import pathlib
import sys

from trytond.config import update_etc

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main(path=ROOT / 'config' / 'demo.json', configs=None):
    definition = json.loads(pathlib.Path(path).read_text())
    update_etc(configs or [str(ROOT / 'config' / 'trytond.conf')])

    from trytond.pool import Pool
    from trytond.transaction import Transaction, TransactionError

    database = definition['database']
    Pool(database).init()
    from trytond.modules.pole_demo.demo import BUILD_LOCK_TABLES
    extras = {'_lock_tables': list(BUILD_LOCK_TABLES)}
    while True:
        # Tryton asks to restart a transaction that must lock a table first.
        try:
            with Transaction().start(database, 0, **extras) as transaction:
                Demo = Pool(database).get('hub.demo')
                result = Demo.build(definition)
                transaction.commit()
            break
        except TransactionError as error:
            error.fix(extras)
    print("Demo pôle: %d members, %d users" % (
            len(result['members']), len(result['users'])))
    year_end(database)


def year_end(database):
    """Close, lock and allocate the demo's previous (calendar) year with the
    year-end batch, as the accountant would after the build: each member in
    its own transaction; what is done already is skipped."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    with Transaction().start(database, 0):
        pool = Pool(database)
        Member = pool.get('hub.member')
        today = pool.get('ir.date').today()
        date = today.replace(month=1, day=1) - dt.timedelta(days=1)
        results = Member.close_years(date) + Member.allocate_results(date)
    for result in results:
        print("Year-end %s: %s %s: %s" % (date.year, result['member'],
                result['action'], result['status']), result['detail'])
    if any(r['status'] == 'failed' for r in results):
        sys.exit("the year-end of the demo failed")


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('-c', '--config', nargs='+', dest='configs')
    parser.add_argument('path', nargs='?', default=ROOT / 'config' / 'demo.json')
    args = parser.parse_args()
    main(args.path, args.configs)
