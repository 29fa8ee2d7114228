"""Helpers for tests that talk to a real trytond server over JSON-RPC.

A test gets a throw-away database (`LiveDatabase`: a SQLite file in a
temporary directory, or a PostgreSQL database when TRYTOND_DATABASE_URI
points at a server), fills it server-side in a subprocess
(`LiveDatabase.run`), starts `trytond` on a free loopback port
(`LiveServer`) and speaks JSON-RPC to it with plain urllib (`RPCClient`).

Everything runs in subprocesses with their own environment, so the trytond
configuration of the pytest process (and of other tests) is left alone.

Usage from tests/test_*.py (tests/ is on sys.path through pytest's rootdir
insertion, as tests/ has no __init__.py):

    from live import LiveDatabase, LiveServer, RPCClient, RPCError
"""
import base64
import contextlib
import itertools
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent

# Environment variables of the pytest process that must not leak into the
# subprocesses: they would point trytond at another configuration.
_SCRUBBED = ('TRYTOND_CONFIG', 'TRYTOND_DATABASE__URI',
    'TRYTOND_DATABASE__PATH', 'TRYTOND_WEB__LISTEN', 'DB_NAME')


def database_uri():
    "The URI the tests run on: TRYTOND_DATABASE_URI or SQLite"
    return os.environ.get('TRYTOND_DATABASE_URI') or 'sqlite://'


def backend_name(uri=None):
    return (uri or database_uri()).split(':', 1)[0]


def free_port(host='127.0.0.1'):
    "A TCP port free on host now (the kernel picks it)"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _pg_connect(uri, dbname='postgres'):
    "An autocommit connection to the server of uri (psycopg 3 as trytond)"
    parts = urllib.parse.urlsplit(uri)
    params = {
        'host': parts.hostname or None,
        'port': parts.port or None,
        'user': urllib.parse.unquote(parts.username or '') or None,
        'password': urllib.parse.unquote(parts.password or '') or None,
        'dbname': dbname,
        }
    params = {k: v for k, v in params.items() if v is not None}
    try:
        import psycopg
    except ImportError:
        import psycopg2
        connection = psycopg2.connect(**params)
        connection.autocommit = True
        return connection
    return psycopg.connect(autocommit=True, **params)


class LiveDatabase:
    """A uniquely named database and the environment to reach it

    `prepare()` makes its directory and configuration, a subprocess run by
    `run()` creates it, `drop()` removes it.  Subprocesses get `env`, in
    which DB_NAME is the database, so that trytond.tests.test_tryton's
    activate_module (and its DB_CACHE) works on it.
    """

    def __init__(self, directory, prefix='live', uri=None):
        self.directory = pathlib.Path(directory)
        self.uri = uri or database_uri()
        self.backend = backend_name(self.uri)
        self.name = '%s_%s' % (prefix, uuid.uuid4().hex[:12])
        self.config = self.directory / 'trytond.conf'
        self.created = False

    @property
    def path(self):
        "Where SQLite databases live (config [database] path)"
        return self.directory / 'db'

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
        env.update({
                'TRYTOND_DATABASE__URI': self.uri,
                'TRYTOND_DATABASE__PATH': str(self.path),
                'DB_NAME': self.name,
                'PYTHONUNBUFFERED': '1',
                })
        env.update(extra)
        return env

    def write_config(self, **sections):
        """Write a trytond configuration file for this database

        trytond reads a configuration file after the environment, so the
        database settings are repeated here to keep them consistent.
        """
        sections.setdefault('database', {})
        sections['database'].setdefault('uri', self.uri)
        sections['database'].setdefault('path', str(self.path))
        lines = []
        for section, options in sections.items():
            lines.append('[%s]' % section)
            lines.extend('%s = %s' % item for item in options.items())
            lines.append('')
        self.config.write_text('\n'.join(lines))
        return self.config

    def prepare(self):
        """Make ready for the database to be created by a subprocess

        The database itself is created by trytond.tests.test_tryton's
        activate_module in the subprocess (`run`), from the DB_CACHE when it
        holds one: it must not exist before.
        """
        self.path.mkdir(parents=True, exist_ok=True)
        if self.backend == 'postgresql':
            # Fail early and clearly when the server is not there.
            _pg_connect(self.uri).close()
        elif self.backend != 'sqlite':
            raise ValueError('unsupported backend %s' % self.backend)
        self.created = True
        self.write_config()

    def drop(self):
        if not self.created:
            return
        if self.backend == 'sqlite':
            for path in self.path.glob(self.name + '.sqlite*'):
                path.unlink()
        elif self.backend == 'postgresql':
            connection = _pg_connect(self.uri)
            try:
                with connection.cursor() as cursor:
                    # The server is stopped by now; FORCE closes what a
                    # crashed subprocess might have left behind.
                    cursor.execute(
                        'DROP DATABASE IF EXISTS "%s" WITH (FORCE)'
                        % self.name)
            finally:
                connection.close()
        self.created = False

    def run(self, args, timeout=600, **extra_env):
        """Run a Python subprocess on this database; return its stdout

        Raises RuntimeError with its output when it fails.
        """
        process = subprocess.run(
            [sys.executable, *map(str, args)], cwd=ROOT,
            env=self.env(**extra_env), capture_output=True, text=True,
            timeout=timeout)
        if process.returncode:
            raise RuntimeError(
                '%s failed (%s):\n%s\n%s' % (
                    ' '.join(map(str, args)), process.returncode,
                    process.stdout[-5000:], process.stderr[-10000:]))
        return process.stdout


class LiveServer:
    "A `trytond` server on a free loopback port, serving one database"

    def __init__(self, database, host='127.0.0.1', port=None):
        self.database = database
        self.host = host
        self.port = port or free_port(host)
        self.process = None
        self.log = database.directory / ('trytond-%s.log' % self.port)

    @property
    def url(self):
        return 'http://%s:%s/' % (self.host, self.port)

    def start(self, timeout=120):
        listen = '%s:%s' % (self.host, self.port)
        config = self.database.write_config(web={'listen': listen})
        with open(self.log, 'wb') as log:
            self.process = subprocess.Popen(
                [str(BIN / 'trytond'), '-c', str(config),
                    '-d', self.database.name],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                env=self.database.env(TRYTOND_WEB__LISTEN=listen),
                start_new_session=True)
        self._wait(timeout)
        return self

    def _wait(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    'trytond exited with %s:\n%s' % (
                        self.process.returncode, self.log_tail()))
            try:
                version = rpc_call(
                    self.url + 'rpc/', 'common.server.version', [],
                    timeout=5)
            except (OSError, urllib.error.URLError):
                version = None
            if version:
                return version
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    'trytond did not answer on %s in %ss:\n%s' % (
                        self.url, timeout, self.log_tail()))
            time.sleep(0.2)

    def stop(self, timeout=20):
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        # trytond runs in its own session: signal its whole process group
        # (its id is the server's), nothing else.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout)

    def log_tail(self, size=10000):
        try:
            return self.log.read_text(errors='replace')[-size:]
        except OSError:
            return ''

    def client(self):
        return RPCClient(self.url, self.database.name)


_TRYTON_EXCEPTIONS = {
    'UserError', 'UserWarning', 'LoginException', 'ConcurrencyException'}


class RPCError(Exception):
    """A JSON-RPC error answer: `error` is what Tryton sent

    For Tryton's exceptions it is [name, args]: ['UserError', [message,
    description, domain]] for UserError and its subclasses (AccessError,
    DomainValidationError, ...), ['UserWarning', [name, message,
    description]], ...; for other exceptions [str(exception), traceback].
    """

    def __init__(self, method, error):
        self.method = method
        self.error = error
        super().__init__('%s: %r' % (method, error))

    @property
    def kind(self):
        "'UserError', 'UserWarning', 'LoginException', ... or None"
        if (isinstance(self.error, list) and len(self.error) == 2
                and self.error[0] in _TRYTON_EXCEPTIONS):
            return self.error[0]

    @property
    def message(self):
        if self.kind in {'UserError', 'ConcurrencyException'}:
            args = self.error[1]
            return args[0] if isinstance(args, list) else args
        elif self.kind in {'UserWarning', 'LoginException'}:
            return self.error[1][1]
        elif isinstance(self.error, list) and self.error:
            return str(self.error[0])
        return str(self.error)


_ids = itertools.count(1)


def encode_scalar(value):
    """Tryton's JSON-RPC encoding of a datetime, date, Decimal or bytes;
    raise TypeError for any other value (json.dumps' `default`)"""
    import datetime
    from decimal import Decimal
    if isinstance(value, datetime.datetime):
        return {'__class__': 'datetime', 'year': value.year,
            'month': value.month, 'day': value.day, 'hour': value.hour,
            'minute': value.minute, 'second': value.second,
            'microsecond': value.microsecond}
    if isinstance(value, datetime.date):
        return {'__class__': 'date', 'year': value.year,
            'month': value.month, 'day': value.day}
    if isinstance(value, Decimal):
        return {'__class__': 'Decimal', 'decimal': str(value)}
    if isinstance(value, bytes):
        return {'__class__': 'bytes',
            'base64': base64.b64encode(value).decode()}
    raise TypeError('not JSON serializable: %r' % (value,))


def _object_hook(value):
    # Tryton encodes Decimal, dates, bytes... as {"__class__": ...}
    klass = value.get('__class__')
    if klass == 'Decimal':
        from decimal import Decimal
        return Decimal(value['decimal'])
    if klass == 'date':
        import datetime
        return datetime.date(value['year'], value['month'], value['day'])
    if klass == 'datetime':
        import datetime
        return datetime.datetime(
            value['year'], value['month'], value['day'], value['hour'],
            value['minute'], value['second'], value['microsecond'])
    return value


def rpc_call(url, method, params, headers=None, timeout=60):
    """POST one JSON-RPC request; return its result or raise RPCError

    HTTP errors (401, 403, ...) are raised as urllib.error.HTTPError.
    """
    payload = json.dumps({
            'id': next(_ids), 'method': method, 'params': params,
            }, default=encode_scalar).encode()
    request = urllib.request.Request(
        url, data=payload, method='POST', headers={
            'Content-Type': 'application/json',
            **(headers or {}),
            })
    with urllib.request.urlopen(request, timeout=timeout) as response:
        answer = json.loads(response.read(), object_hook=_object_hook)
    if answer.get('error') is not None:
        raise RPCError(method, answer['error'])
    return answer['result']


class RPCClient:
    "A JSON-RPC session on one database of a server, as Tryton's clients"

    def __init__(self, url, database):
        self.url = url.rstrip('/') + '/%s/rpc/' % database
        self.database = database
        self.login_name = None
        self.user_id = None
        self.session = None
        self.ctx = {}

    def login(self, login, password, language='en'):
        # trytond.protocols.dispatcher.login: (user, parameters, language)
        # answers [user_id, session, bus_url_host]
        user_id, session, _ = rpc_call(
            self.url, 'common.db.login',
            [login, {'password': password}, language])
        self.login_name, self.user_id, self.session = login, user_id, session
        return user_id

    def logout(self):
        if self.session:
            self.call('common.db.logout', [])
            self.session = None

    @property
    def headers(self):
        if not self.session:
            return {}
        token = base64.b64encode(('%s:%s:%s' % (
                    self.login_name, self.user_id, self.session)).encode())
        return {'Authorization': 'Session ' + token.decode()}

    def call(self, method, params, timeout=60):
        return rpc_call(self.url, method, params, self.headers, timeout)

    def load_context(self):
        """Fetch the user's context (company, companies, language...) and
        send it with the next calls, as Tryton's clients do after login"""
        self.ctx = self.call('model.res.user.get_preferences', [True, {}])
        return self.ctx

    def model(self, model, method, *args, context=None):
        """Call model.<model>.<method>(*args, context)

        As in Tryton's clients, the context is the last parameter; it
        defaults to the one loaded by load_context.
        """
        if context is None:
            context = self.ctx
        return self.call(
            'model.%s.%s' % (model, method), [*args, context])


def serve_built(directory, prefix, script, members, users):
    """Build a database by running `script build SPEC RESULT` in a subprocess
    (server side), serve it, and yield what was built with the users'
    passwords and the server; drop everything at the end.

    For a module-scoped pytest fixture: `yield from serve_built(...)`.
    """
    import secrets
    database = LiveDatabase(directory, prefix=prefix)
    passwords = {
        login: 'Pw-%s-%s' % (secrets.token_urlsafe(12), i)
        for i, login in enumerate(users)}
    spec = pathlib.Path(directory) / 'spec.json'
    spec.write_text(json.dumps({
                'members': members, 'users': users, 'passwords': passwords}))
    built = pathlib.Path(directory) / 'built.json'
    server = LiveServer(database)
    database.prepare()
    try:
        database.run([script, 'build', spec, built])
        server.start()
        yield {
            'server': server,
            'passwords': passwords,
            **json.loads(built.read_text()),
            }
    finally:
        server.stop()
        database.drop()


def build_lock_tables():
    """Server side, in a builder: the tables that onboarding members then
    posting their moves lock, as the demo's build does (pole_demo): its
    transaction takes them from the start, or each lock restarts it"""
    from trytond.modules.hub.member import ONBOARDING_LOCK_TABLES
    return ONBOARDING_LOCK_TABLES + ['account_journal_period']


def build_main(modules, populate, lock_tables=None):
    """Server side, a live test's `build SPEC RESULT` command: activate
    modules (on a database restored from the cache, tests/dbcache.py), run
    populate(pool, spec) in one committed transaction (restarted with the
    locks Tryton asks for; lock_tables(), called once the modules are
    activated, gives those taken from the start), write what it returns to
    RESULT as JSON"""
    if len(sys.argv) != 4 or sys.argv[1] != 'build':
        sys.exit('usage: %s build SPEC RESULT' % sys.argv[0])
    spec_path, result_path = sys.argv[2:]
    with open(spec_path) as file:
        spec = json.load(file)
    import dbcache
    dbcache.install()
    from trytond.tests.test_tryton import activate_module
    activate_module(modules)
    result = run_restarted(lambda pool: populate(pool, spec),
        lock_tables() if lock_tables else [])
    with open(result_path, 'w') as file:
        json.dump(result, file, indent=1)


def run_restarted(func, lock_tables=(), log=None):
    """Server side: func(pool) in one committed transaction on the test
    database, restarted with the locks Tryton asks for (lock_tables taken
    from the start spare restarts that each redo func); return its result
    (hub's tests.tools.run_restarted, which the concurrency tests share)"""
    from trytond.modules.hub.tests.tools import run_restarted
    return run_restarted(func, lock_tables=lock_tables, log=log)


def create_users(spec, companies):
    """Server side, in a builder: the users of spec, {login: (keys, role)}
    where keys is a company key or a list of them (the first is the current
    company) and role a role's XML id, `hub`'s unless it names its module
    (`insertion.role_counsellor`).  Return {login: id}."""
    from trytond.pool import Pool
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    User = pool.get('res.user')
    UserRole = pool.get('res.user.role')
    ids = {}
    for login, (keys, role) in spec['users'].items():
        keys = [keys] if isinstance(keys, str) else keys
        user = User(
            login=login, name=login.replace('_', ' ').title(),
            password=spec['passwords'][login],
            companies=[companies[k] for k in keys],
            company=companies[keys[0]])
        module, _, name = role.rpartition('.')
        user.roles = [UserRole(role=ModelData.get_id(module or 'hub', name))]
        user.save()
        ids[login] = user.id
    return ids


def connect(live, user):
    "A client of the live server logged in as user, with its context"
    client = live['server'].client()
    user_id = client.login(user, live['passwords'][user])
    assert user_id == live['users'][user]
    client.load_context()
    return client


def search(client, model, domain=(), context=None):
    return client.model(
        model, 'search', list(domain), 0, None, None, context=context)


def read(client, model, ids, fields, context=None):
    return client.model(
        model, 'read', list(ids), list(fields), context=context)
