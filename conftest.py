"""pytest collection of Tryton tests.

- modules/<name>/tests/test_*.py are imported under their installed name,
  trytond.modules.<name>.tests.test_*, as Tryton's own runner does;
- modules/<name>/tests/scenario_*.rst are run as doctests with Tryton's
  options, checker, setup and teardown (pytest ignores unittest's
  load_tests, so load_doc_tests is never called);
- DB_CACHE is set (per backend and per content of modules/) so that a
  database with modules activated is built once and then restored.
"""
import doctest
import importlib
import importlib.util
import json
import os
import pathlib
import shutil
import unittest

import pytest

ROOT = pathlib.Path(__file__).resolve().parent
MODULES = ROOT / 'modules'


def _load_dbcache():
    "tests/dbcache.py (tests/ is no package)"
    spec = importlib.util.spec_from_file_location(
        'pole_dbcache', ROOT / 'tests' / 'dbcache.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dbcache = _load_dbcache()


def _setup_environment():
    uri = os.environ.get('TRYTOND_DATABASE_URI', 'sqlite://')
    backend = uri.split(':', 1)[0]
    # A changed module must never restore a stale cached database.
    cache = ROOT / 'var' / 'db-cache' / backend
    digest = dbcache.modules_digest()
    if 'DB_CACHE' not in os.environ:
        # Caches of earlier versions of the modules are of no more use.
        for old in cache.glob('*'):
            if old.name != digest and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    # Files beside the databases: SQLite copies, the browser test's cache.
    os.environ.setdefault('POLE_FILE_CACHE', str(cache / digest))
    if backend == 'postgresql' and 'DB_CACHE' not in os.environ:
        # Template databases on the server, copied by CREATE DATABASE:
        # seconds faster than a pg_restore each time a test activates
        # modules.  Their names do not tell the modules' content, so those
        # of other contents are dropped first.
        _drop_stale_templates(uri, digest)
        os.environ['DB_CACHE'] = 'postgresql://'
    os.environ.setdefault('DB_CACHE', os.environ['POLE_FILE_CACHE'])
    os.environ.setdefault('TRYTOND_DATABASE__PATH', str(ROOT / 'var' / 'db'))
    os.makedirs(os.environ['TRYTOND_DATABASE__PATH'], exist_ok=True)
    # Tests never read the demo's configuration file.
    os.environ.pop('TRYTOND_CONFIG', None)


def _drop_stale_templates(uri, digest):
    """Drop trytond's cached template databases ("test-<hash>") made from
    another content of modules/ than digest, which a marker table in the
    maintenance database "postgres" records"""
    import psycopg
    from urllib.parse import urlsplit

    parts = urlsplit(uri)
    params = {'dbname': 'postgres', 'autocommit': True}
    if parts.hostname:
        params['host'] = parts.hostname
    if parts.port:
        params['port'] = parts.port
    if parts.username:
        params['user'] = parts.username
    if parts.password:
        params['password'] = parts.password
    with psycopg.connect(**params) as connection:
        connection.execute('CREATE TABLE IF NOT EXISTS pole_db_cache '
            '(digest VARCHAR NOT NULL)')
        stored = [r[0] for r in connection.execute(
                'SELECT digest FROM pole_db_cache')]
        if stored == [digest]:
            return
        names = [r[0] for r in connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'test-%'")]
        for name in names:
            connection.execute('DROP DATABASE IF EXISTS "%s"' % name)
        connection.execute('DELETE FROM pole_db_cache')
        connection.execute(
            'INSERT INTO pole_db_cache (digest) VALUES (%s)', (digest,))


_setup_environment()


# tests/dbcache.py: a database built from a cached smaller one
dbcache.install()


def _module_tests(path):
    "Return the module name if path lies in modules/<name>/tests/"
    try:
        rel = pathlib.Path(path).resolve().relative_to(MODULES)
    except ValueError:
        return None
    if len(rel.parts) >= 3 and rel.parts[1] == 'tests':
        return rel.parts[0]


class TrytonTestModule(pytest.Module):
    "A module test file, imported as trytond.modules.<name>.tests.<file>"

    def _getobj(self):
        name = _module_tests(self.path)
        return importlib.import_module(
            f'trytond.modules.{name}.tests.{self.path.stem}')


def pytest_pycollect_makemodule(module_path, parent):
    if _module_tests(module_path):
        return TrytonTestModule.from_parent(parent, path=module_path)


def pytest_collect_file(file_path, parent):
    if (file_path.suffix == '.rst'
            and file_path.name.startswith('scenario_')
            and _module_tests(file_path)):
        return ScenarioFile.from_parent(parent, path=file_path)


class ScenarioFile(pytest.File):

    def collect(self):
        config = self.path.with_suffix('.json')
        if config.exists():
            configs = json.loads(config.read_text())
        else:
            configs = [{}]
        for i, globs in enumerate(configs):
            name = self.path.name if len(configs) == 1 else (
                f'{self.path.name}[{i}]')
            yield ScenarioItem.from_parent(self, name=name, globs=globs)


def _drop_test_database():
    """Drop the test database a unittest class may have left with its
    connections pooled: trytond's restore from a PostgreSQL template drops
    it without closing them ("being accessed by other users")"""
    from trytond import backend
    from trytond.tests.test_tryton import DB_NAME, db_exist, drop_db
    from trytond.transaction import Transaction

    if not db_exist(DB_NAME):
        return
    if backend.name == 'postgresql':
        backend.Database(DB_NAME).close()
        # Connections of other processes, e.g. a live server being stopped
        with Transaction().start(
                None, 0, close=True, autocommit=True) as transaction:
            cursor = transaction.connection.cursor()
            cursor.execute('SELECT pg_terminate_backend(pid) '
                'FROM pg_stat_activity '
                'WHERE datname = %s AND pid <> pg_backend_pid()', (DB_NAME,))
    drop_db()


class ScenarioFailure(Exception):
    pass


class ScenarioItem(pytest.Item):

    def __init__(self, *, globs, **kwargs):
        super().__init__(**kwargs)
        self.globs = globs

    def runtest(self):
        from trytond import backend
        from trytond.tests.test_tryton import (
            STRIP_DECIMAL, doctest_checker, doctest_setup, doctest_teardown)

        optionflags = (
            doctest.REPORT_ONLY_FIRST_FAILURE
            | doctest.ELLIPSIS
            | doctest.IGNORE_EXCEPTION_DETAIL)
        if backend.name == 'sqlite':
            optionflags |= STRIP_DECIMAL
        module = _module_tests(self.path)
        _drop_test_database()
        cwd = os.getcwd()
        # Scenarios may open files next to them, as under Tryton's runner.
        os.chdir(self.path.parent)
        try:
            suite = doctest.DocFileSuite(
                self.path.name, package=f'trytond.modules.{module}.tests',
                globs=dict(self.globs), setUp=doctest_setup,
                tearDown=doctest_teardown, encoding='utf-8',
                checker=doctest_checker, optionflags=optionflags)
            result = unittest.TestResult()
            suite.run(result)
        finally:
            os.chdir(cwd)
        problems = result.failures + result.errors
        if problems:
            raise ScenarioFailure('\n'.join(text for _, text in problems))
        if not result.testsRun:
            raise ScenarioFailure('scenario ran no test')

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f'scenario: {self.name}'
