"""What the benchmarks (scripts/bench_<name>.py) share: PostgreSQL, a fresh
database with a module activated, the log and the JSON result."""
import json
import os
import pathlib
import shutil
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def log(message):
    print(message, file=sys.stderr, flush=True)


def db_cache():
    """The benchmarks' cache of activated databases, one folder per content
    of modules/ (Tryton names a cached database by its modules only: a
    changed module would restore a stale one); older folders are removed"""
    sys.path.insert(0, str(ROOT / 'tests'))
    import dbcache
    folder = ROOT / 'var' / 'db-cache' / 'bench'
    digest = dbcache.modules_digest()
    for old in folder.glob('*'):
        if old.name != digest and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    (folder / digest).mkdir(parents=True, exist_ok=True)
    return str(folder / digest)


def fresh_database(name, module):
    """Drop the database name and create it with module (a name or a list)
    activated (from the cache when it has it); return its pool"""
    uri = os.environ.setdefault(
        'TRYTOND_DATABASE_URI', 'postgresql://postgres@127.0.0.1:5432/')
    if not uri.startswith('postgresql'):
        sys.exit('the benchmark runs on PostgreSQL (TRYTOND_DATABASE_URI)')
    os.environ.setdefault('DB_NAME', name)
    os.environ.setdefault('DB_CACHE', db_cache())

    import psycopg
    from trytond.tests.test_tryton import DB_NAME, activate_module
    with psycopg.connect(
            uri.rstrip('/') + '/postgres', autocommit=True) as connection:
        connection.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)'
            % DB_NAME)
    started = time.monotonic()
    activate_module(module)
    log('%s activated in %.0fs' % (module, time.monotonic() - started))

    from trytond.pool import Pool
    pool = Pool(DB_NAME)
    if DB_NAME not in Pool.database_list():
        pool.init()
    production_mode()
    return pool


def production_mode():
    """Measure what production runs: Tryton's test mode (set by importing
    its test tools, which activate the modules) also validates every
    computed field at each save, the account balances of each new account"""
    from trytond.pool import Pool
    Pool.test = False


def write_result(name, values):
    "Write the results as var/bench/<name>.json"
    output = ROOT / 'var' / 'bench' / ('%s.json' % name)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(values, indent=1))
    log('wrote %s' % output)


def run_restarted(database, user, func, *args):
    """func(*args) in one committed transaction of user on database,
    restarted to take its locks, as trytond's dispatcher does: a lock asked
    when not first in the transaction raises TransactionError, whose fix()
    adds it to the locks taken at the start of the next attempt.  Record
    locks are widened to their table (one restart per table, not one per
    record: nobody else uses the database).  No retry cap: it stops when
    the locks no longer change.  A restarted run counts only its last,
    complete attempt."""
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    while True:
        try:
            with Transaction().start(database, user, **extras) as transaction:
                with transaction.set_context(_skip_warnings=True):
                    return func(*args)
        except TransactionError as error:
            before = repr(extras)
            error.fix(extras)
            tables = set(extras.get('_lock_tables', []))
            tables.update(extras.pop('_lock_records', {}))
            extras['_lock_tables'] = sorted(tables)
            if repr(extras) == before:
                raise
            log("  restart with the locks of %s" % extras['_lock_tables'])
