"""Build a cached test database from the largest cached one it contains.

Tryton's DB_CACHE keeps one database per set of modules, each built from an
empty database: the tests use a dozen sets, and on PostgreSQL each build
(ir, res, party, company, account, account_fr...) costs one to two minutes.
When no database is cached for a set, the largest cached set whose modules
(and their dependencies) it contains is restored and the missing modules are
activated on it, as an administrator adds modules to a live database.

A base is skipped when one of its modules names, as an extra dependency, a
module to add: Tryton would not update that module, so its extra part would
be missing.
"""
import functools
import hashlib
import json
import logging
import os
import pathlib

MODULES = pathlib.Path(__file__).resolve().parent.parent / 'modules'
logger = logging.getLogger(__name__)


def modules_digest():
    """The digest of what a database built from modules/ depends on: a
    cache keyed by it never restores a database of other modules' code"""
    digest = hashlib.sha1()
    for path in sorted(MODULES.rglob('*')):
        if path.suffix in {'.py', '.xml', '.cfg', '.po', '.csv'} and (
                '__pycache__' not in path.parts):
            digest.update(str(path.relative_to(MODULES)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _registry():
    """The file naming the cached sets, beside the cached files: the live
    tests' builders, in other processes, read it too"""
    folder = os.environ.get('DB_CACHE') or ''
    if '://' in folder:  # templates on the server: the files' folder
        folder = os.environ.get('POLE_FILE_CACHE') or ''
    if folder:
        return pathlib.Path(folder) / 'dbcache-sets.json'


def _cached_sets():
    "{cache name: the set of modules activated, with dependencies}"
    path = _registry()
    try:
        names = json.loads(path.read_text())
    except (AttributeError, OSError, ValueError):
        return {}
    return {name: _modules(name) for name in names if _modules(name)}


def _register(name):
    path = _registry()
    if path and _modules(name) is not None:
        names = set(_cached_sets()) | {name}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(sorted(names)))


@functools.cache
def closure(module):
    "The module and every module it depends on"
    from trytond.modules import get_module_info
    result = {module}
    for depend in get_module_info(module).get('depends', []):
        result |= closure(depend)
    return frozenset(result)


def _modules(name):
    "The modules a plain cache name stands for, else None"
    if not name or '--' in name:  # a language or a setup function
        return None
    return frozenset().union(*(closure(m) for m in name.split('-')))


def _base(wanted):
    "The name of the largest cached set usable for the set wanted"
    from trytond.modules import get_module_info
    best, sets = None, _cached_sets()
    for name, modules in sets.items():
        if not modules < wanted:
            continue
        added = wanted - modules
        if any(set(get_module_info(m).get('extras_depend', [])) & added
                for m in modules):
            continue
        if best is None or len(modules) > len(sets[best]):
            best = name
    return best


def _activate(modules):
    "Activate modules on the test database, as test_tryton does"
    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction
    with Transaction().start(DB_NAME, 1, close=True) as transaction:
        pool = Pool()
        Module = pool.get('ir.module')
        records = Module.search([
                ('name', 'in', sorted(modules)),
                ('state', '!=', 'activated'),
                ])
        if records:
            Module.activate(records)
            transaction.commit()
            ActivateUpgrade = pool.get(
                'ir.module.activate_upgrade', type='wizard')
            instance_id, _, _ = ActivateUpgrade.create()
            transaction.commit()
            ActivateUpgrade(instance_id).transition_upgrade()
            ActivateUpgrade.delete(instance_id)
            transaction.commit()


def canonical(name):
    """One cache name per set of modules activated: the modules named, less
    those another one named depends on, sorted (test_tryton joins them in
    the order given, tools sorts them: ['hub', 'insertion'] and
    ['insertion'] activate the same modules, each would be built)"""
    modules, sep, rest = name.partition('--')
    names = set(filter(None, modules.split('-')))
    try:
        implied = set().union(
            *(closure(m) - {m} for m in names)) if names else set()
    except Exception:  # not a module name: left as it is
        return name
    return '-'.join(sorted(names - implied)) + sep + rest


def install():
    "Wrap test_tryton's cache restore and backup (and tools' copies)"
    from trytond.tests import test_tryton, tools
    restore, backup = test_tryton.restore_db_cache, test_tryton.backup_db_cache

    # Two test processes may share the server's cache (CI runs two on
    # PostgreSQL): one may store a set the other is storing, or read one
    # being stored.  The loser only builds or keeps its own database.
    def backup_db_cache(name):
        name = canonical(name)
        try:
            result = backup(name)
        except Exception as exception:
            logger.warning("cache of %s not stored: %s", name, exception)
            return False
        _register(name)
        return result

    def restore_cache(name):
        try:
            return restore(name)
        except Exception as exception:
            logger.warning("cache of %s not restored: %s", name, exception)
            return False

    def restore_db_cache(name):
        name = canonical(name)
        if restore_cache(name):
            _register(name)
            return True
        wanted = _modules(name)
        base = _base(wanted) if wanted else None
        if not base or not restore_cache(base):
            return False
        _activate(set(name.split('-')))
        backup_db_cache(name)
        return True

    for module in (test_tryton, tools):
        module.restore_db_cache = restore_db_cache
        module.backup_db_cache = backup_db_cache
