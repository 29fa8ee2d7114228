"""Build the demo pôle in an existing database, server-side, in one transaction.

Usage: python scripts/build_demo.py [config/demo.json]
The database must exist with the modules activated (scripts/demo does it).
Safe to run twice: what exists is kept.
"""
import json
import pathlib
import sys

from trytond.config import update_etc

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main(path=ROOT / 'config' / 'demo.json'):
    definition = json.loads(pathlib.Path(path).read_text())
    update_etc(str(ROOT / 'config' / 'trytond.conf'))

    from trytond.pool import Pool
    from trytond.transaction import Transaction, TransactionError

    database = definition['database']
    Pool(database).init()
    extras = {}
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


if __name__ == '__main__':
    main(*sys.argv[1:])
