"""Isolation and privacy proven for every way in (issue 12).

What is proved, over JSON-RPC on a live trytond, for every role of the
demo that is not the collective's accountant (the directors, counsellors
and board member of config/demo.json, plus a director and a counsellor of
a second structure so that "another company" is tried from both sides):

- enumeration: every model of the database (``ir.model``) with a
  Many2One to ``company.company``, linked to a person (parties of
  employees and their satellites, employees, every model pointing to an
  employee, an insertion profile, PASS or contract) or defined by one of
  our modules (``modules/``); the list is printed and must not be short;
- static rules: every model with a company field, or whose records
  belong to a company through a Many2One, has a global or default
  ``ir.rule.group`` (its own or through Tryton's ``__access__``) whose
  domain names the company, for reading and for writing, creating and
  deleting, unless listed in ALLOWLIST with the reason; a new model
  without a rule fails here (models that are no ModelView are out of
  reach of RPC, and printed);
- reading: search, search_count, read, search_read, export_data and
  export_data_domain never give a record of another company (compared
  with the ground truth read in SQL, not through Tryton), and what is
  refused is refused with Tryton's access error, never a crash; the roles
  still see their own records, and the accountant sees each company's
  after switching to it;
- writing: write, create and delete on another company's records are
  refused with an access error and change nothing (row, write_date and
  row count checked in SQL);
- privacy: the board reads no person record at all; the directors read
  no field of the insertion profiles but the public ones, nor the reasons
  of PASS suspensions and prolongations nor the contracts' derogation
  reasons; the indicators refuse a period shorter than a month and show no
  count from 1 to 4 (nor its complement) to the board and the directors;
- wizards and reports: every wizard action, started on another company's
  records or with another company in the context, and every report on
  another company's records, are refused, and the known ways in (the FEC,
  the closing move, the bookkeeping batch, the payroll import, the
  consolidation drill-down, the ledgers, the journal, the invoice) are
  tried with another company's fiscal year, period, member or file,
  checking in SQL that nothing was written;
- other ways in: switching one's company to another, attachments and
  notes on another company's records;
- and, as the demo is here (issue 13): the FEC of every member's closed
  previous year, read back by the independent parser
  (modules/hub_bookkeeping/tests/fec_parser.py) and checked against SQL.
- menus (issue 21): every menu entry of the four demo users (the
  collective's accountant too) opened as sao opens it (tests/menus.py:
  the action with its context, domain and tabs, its views, the records of
  each view with what their fields point to, a wizard's first state)
  gives no error, no menu is offered whose action the role is refused,
  and the board is offered no screen of persons (parties, payroll,
  PASS, contracts, employees).

Each test collects every violation (role, model or action, operation,
company, detail) and fails with the whole list, so that the fixes can be
checked off one by one.  On a code base without these protections the
test is expected to fail: that is how it is known to work.

The database is the demo (module pole_demo: scripts/build_demo.py's
``hub.demo.build``, then its year-end batch closing the previous year)
reduced to the collective and three members, built server-side in a
subprocess (``python tests/test_access_matrix.py build SPEC RESULT``) once
every module is activated (cached by trytond's DB_CACHE), then served by
one trytond.  SQLite by default, PostgreSQL when TRYTOND_DATABASE_URI is
set.
"""
import base64
import collections
import datetime as dt
import io
import json
import secrets
import sqlite3
import sys
import time
import zipfile
from decimal import Decimal

import pytest

import menus
from live import (
    ROOT, LiveDatabase, LiveServer, RPCError, _pg_connect, connect,
    encode_scalar, run_restarted)

# The members of config/demo.json in the reduced demo
MEMBER_KEYS = ['collective', 'jardins', 'services', 'scop']
# Insertion people of the demo, spread over its ACI, AI and EI
PEOPLE = 45
# The roles tried: login: (role, own member, the member tried as "other")
ROLES = {
    'direction': ('director', 'jardins', 'services'),
    'direction_b': ('director', 'services', 'jardins'),
    'conseillere': ('counsellor', 'jardins', 'services'),
    'conseillere_b': ('counsellor', 'services', 'jardins'),
    'administrateur': ('board', 'collective', 'jardins'),
    }
DIRECTORS = [k for k, v in ROLES.items() if v[0] == 'director']
EXTRA_USERS = [
    {'login': 'direction_b', 'name': "Bérénice Directrice",
        'role': 'hub.role_director', 'members': ['services']},
    {'login': 'conseillere_b', 'name': "Bastien Conseiller",
        'role': 'insertion.role_counsellor', 'members': ['services']},
    ]
OUR_MODULES = sorted(
    p.parent.name for p in (ROOT / 'modules').glob('*/tryton.cfg'))

# Models with a company field that are global on purpose, without a
# company rule: model: reason
ALLOWLIST = {
    'company.company.tax_identifier': "part of company.company (its "
    "__access__): the companies' public identifiers",
    'res.user': "Tryton's users are global (their names show in every "
    "create_uid and write_uid); the company field is the user's current "
    "company, not company data; only the administrator writes users",
    'hub.configuration': "the pôle's single configuration record, naming "
    "the collective",
    'hub.member': "the pôle's membership list (name, kind, SIRET, dates) "
    "is public within the pôle: the directors' combined statements show "
    "one column per member",
    'insertion.indicator': "aggregates of every structure for the board "
    "and the directors by design, without names; small counts hidden "
    "(test_indicators)",
    }
# Person models the board may read all the same: model: reason
BOARD_PERSON_ALLOWED = {
    'res.user': "the users' names, as for everyone (see ALLOWLIST)",
    }
# Wizards of persons the board is offered no menu for
BOARD_NO_WIZARDS = ('insertion.pass', 'insertion.contract',
    'insertion.payroll', 'insertion.employee', 'company.employee', 'party.')
# The fields of an insertion profile a director may read
PROFILE_PUBLIC = {
    'id', 'rec_name', 'company', 'employee', 'active',
    'create_uid', 'create_date', 'write_uid', 'write_date'}
# Tables Tryton writes on any call (sessions, caches, logs): never a leak
QUIET_TABLES = {
    'ir_session', 'ir_session_wizard', 'ir_cache', 'ir_queue',
    'res_user_login_attempt', 'res_user_device', 'ir_model_log',
    'ir_error'}
META_FIELDS = {
    'id', 'create_uid', 'create_date', 'write_uid', 'write_date',
    'rec_name', '_timestamp', '_write', '_delete'}
X2MANY = {'one2many', 'many2many'}
ENUMERATION_FLOOR = 60


# --- Server side: run in a subprocess, never imported by pytest's process

def build(spec_path, result_path):
    "Activate every module, build the reduced demo, dump what the test needs"
    started = time.monotonic()

    def log(message):
        print('%6.1fs %s' % (time.monotonic() - started, message), flush=True)

    spec = json.loads(open(spec_path).read())
    import dbcache  # tests/dbcache.py: from a cached smaller database
    dbcache.install()
    from trytond.tests.test_tryton import DB_NAME, activate_module
    activate_module(spec['modules'])
    log('modules activated in %s' % DB_NAME)

    from trytond.pool import Pool
    from trytond.transaction import Transaction
    from trytond.modules.pole_demo.demo import BUILD_LOCK_TABLES
    # The demo locks these tables: taking the locks from the start spares
    # restarts that each redo the whole demo.
    result = run_restarted(
        lambda pool: _populate(pool, spec, log), BUILD_LOCK_TABLES, log)
    # The demo's previous year closed, allocated and locked by the
    # year-end batch, as scripts/build_demo.py does after the build
    sys.path.insert(0, str(ROOT / 'scripts'))
    from build_demo import year_end
    year_end(DB_NAME)
    log('year-end of the demo done')
    with Transaction().start(DB_NAME, 0):
        result['models'] = _models(Pool())
        result['wizards'] = _wizards(Pool())
    log('done')
    with open(result_path, 'w') as file:
        json.dump(result, file, indent=1)


def _populate(pool, spec, log):
    Demo = pool.get('hub.demo')
    Group = pool.get('res.group')
    ModelData = pool.get('ir.model.data')
    User = pool.get('res.user')
    built = Demo.build(spec['definition'])
    log('demo built')
    members = {k: m for k, m in built['members'].items()}
    companies = [m.company for m in members.values()]
    # The administrator reads everything: every company, every group but
    # the board's (whose rules hide the people)
    admin, = User.search([('login', '=', 'admin')])
    board = ModelData.get_id('hub', 'group_hub_board')
    User.write([admin], {
            'password': spec['admin_password'],
            'groups': [('add', [g.id for g in Group.search(
                                [('id', '!=', board)])])],
            'companies': [('add', [c.id for c in companies])],
            'company': members['collective'].company.id,
            'company_filter': 'all',
            })
    extra = {}
    for key in ['jardins', 'services']:
        extra[key] = _private_records(pool, members[key].company)
    log('private records added')
    shared = _shared_person(
        pool, members['jardins'].company, members['services'].company)
    return {
        'shared': shared,
        'members': {k: {'company': m.company.id, 'member': m.id,
                'name': m.company.rec_name, **extra.get(k, {})}
            for k, m in members.items()},
        'users': {'admin': admin.id,
            **{k: u.id for k, u in built['users'].items()}},
        }


def _private_records(pool, company):
    """What the demo may lack to try every way in, in company: a PASS
    suspension and prolongation, a contract's derogation, an adjustment
    period, an attachment and a note on an employee"""
    from dateutil.relativedelta import relativedelta
    from trytond.transaction import Transaction

    Attachment = pool.get('ir.attachment')
    Contract = pool.get('insertion.contract')
    Employee = pool.get('company.employee')
    FiscalYear = pool.get('account.fiscalyear')
    Journal = pool.get('account.journal')
    Note = pool.get('ir.note')
    Pass = pool.get('insertion.pass')
    Period = pool.get('account.period')
    Prolongation = pool.get('insertion.pass.prolongation')
    Suspension = pool.get('insertion.pass.suspension')
    today = pool.get('ir.date').today()
    with Transaction().set_context(company=company.id,
            companies=[company.id]):
        pass_, = Pass.search([('party.employers', '=', company.id),
                ('start_date', '<=', today - dt.timedelta(days=60)),
                ('suspensions', '=', None)],
            order=[('start_date', 'DESC')], limit=1)
        start = today - dt.timedelta(days=30)
        Suspension(pass_=pass_, reason='contract_suspended',
            start_date=start, end_date=start + dt.timedelta(days=9)).save()
        end = Pass(pass_.id).compute_end_date()
        # A prolongation starts on the end of the PASS
        Prolongation(pass_=pass_, reason='training', start_date=end,
            end_date=end + relativedelta(months=2)).save()
        contract, = Contract.search([('company', '=', company.id)],
            order=[('id', 'ASC')], limit=1)
        Contract.write([contract], {
                'derogation_reason': "Santé : reprise progressive",
                'derogation_end_date': contract.start_date + dt.timedelta(
                    days=60)})
        periods = []
        for fiscalyear in FiscalYear.search([('company', '=', company.id)]):
            period = Period(fiscalyear=fiscalyear, type='adjustment',
                name='%s adjustment' % fiscalyear.name,
                start_date=fiscalyear.end_date,
                end_date=fiscalyear.end_date)
            period.save()
            periods.append(period.id)
        if not Journal.search([('type', '=', 'situation')]):
            Journal(name="Situation", code='SIT', type='situation').save()
        employee, = Employee.search([('company', '=', company.id)],
            order=[('id', 'ASC')], limit=1)
        resource = 'company.employee,%s' % employee.id
        attachment = Attachment(resource=resource, name='rib.txt',
            type='data', data=b'IBAN FR76 0000')
        attachment.save()
        note = Note(resource=resource, message="Suivi : entretien du mois")
        note.save()
    return {'adjustment_periods': periods, 'attachment': attachment.id,
        'note': note.id, 'employee': employee.id}


def _shared_person(pool, first, second):
    """A person of first (with a suspended PASS IAE) who left it yesterday
    and is hired by second today: one PASS for both (issue 15)"""
    Employee = pool.get('company.employee')
    Pass = pool.get('insertion.pass')
    today = pool.get('ir.date').today()
    pass_, = Pass.search([('party.employers', '=', first.id),
            ('suspensions', '!=', None)], order=[('id', 'DESC')], limit=1)
    left, = Employee.search([('company', '=', first.id),
            ('party', '=', pass_.party.id)])
    left.end_date = today - dt.timedelta(days=1)
    left.save()
    hired = Employee(company=second, party=pass_.party, start_date=today)
    hired.save()
    return {'pass': pass_.id, 'party': pass_.party.id,
        'suspensions': [s.id for s in pass_.suspensions]}


def _models(pool):
    """Per model: its table (None for a table_query), whether RPC reaches
    it, the fields of its __access__ and the models they reach"""
    from trytond.ir.rule import _get_access_models
    from trytond.model import ModelSQL, ModelStorage, ModelView
    result = {}
    for name, Model in pool.iterobject():
        if not issubclass(Model, ModelStorage):
            continue
        sql = issubclass(Model, ModelSQL)
        table_query = sql and Model._is_table_query()
        names, _ = _get_access_models(Model)
        result[name] = {
            'table': Model._table if sql and not table_query else None,
            'table_query': table_query,
            # Only a ModelView answers search, read... over RPC
            'view': issubclass(Model, ModelView),
            'access_fields': {f: getattr(Model, f).get_target().__name__
                for f in sorted(Model.__access__)},
            'access': sorted(names - {name}),
            }
    return result


def _wizards(pool):
    "Per wizard: its start and end states and the kind of each state"
    from trytond.wizard import (
        StateAction, StateReport, StateTransition, StateView)
    result = {}
    for name, Wizard in pool.iterobject(type='wizard'):
        states = {}
        for state_name, state in Wizard.states.items():
            if isinstance(state, StateView):
                states[state_name] = ['view', state.model_name,
                    [b.state for b in state.buttons]]
            elif isinstance(state, StateReport):
                states[state_name] = ['report']
            elif isinstance(state, StateAction):
                states[state_name] = ['action']
            elif isinstance(state, StateTransition):
                states[state_name] = ['transition']
        result[name] = {'start': Wizard.start_state, 'end': Wizard.end_state,
            'states': states}
    return result


# --- Client side: the ground truth in SQL

class Database:
    "Read-only SQL on the live database, beside the server"

    def __init__(self, database):
        self.backend = database.backend
        if self.backend == 'sqlite':
            self.connection = sqlite3.connect(
                database.path / ('%s.sqlite' % database.name), timeout=60,
                isolation_level=None)
        else:
            self.connection = _pg_connect(database.uri, database.name)
        self._columns = {}

    def close(self):
        self.connection.close()

    def rows(self, query, params=()):
        if self.backend == 'sqlite':
            query = query.replace('%s', '?')
        cursor = self.connection.cursor()
        try:
            cursor.execute(query, list(params))
            return cursor.fetchall()
        finally:
            cursor.close()

    def tables(self):
        if self.backend == 'sqlite':
            return [t for t, in self.rows(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [t for t, in self.rows(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")]

    def columns(self, table):
        if table not in self._columns:
            if self.backend == 'sqlite':
                names = {r[1] for r in self.rows(
                        'SELECT * FROM pragma_table_info(%s)', [table])}
            else:
                names = {c for c, in self.rows(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_schema = 'public' AND table_name = %s",
                        [table])}
            self._columns[table] = names
        return self._columns[table]

    def fingerprint(self):
        """Per table: row count, highest id and last write: what any write
        changes (Tryton's own sessions and caches left out)"""
        parts = []
        for table in sorted(set(self.tables()) - QUIET_TABLES):
            columns = self.columns(table)
            if 'id' not in columns:
                continue
            write = ('MAX(write_date)' if 'write_date' in columns
                else 'NULL')
            parts.append("SELECT '%s', COUNT(*), MAX(id), %s FROM %s" % (
                    table.replace("'", "''"), write, quote(table)))
        result = {}
        for i in range(0, len(parts), 200):
            for table, *values in self.rows(' UNION ALL '.join(
                        parts[i:i + 200])):
                result[table] = tuple(str(v) for v in values)
        return result


def quote(name):
    return '"%s"' % name


def changed(before, after):
    return sorted(t for t in set(before) | set(after)
        if before.get(t) != after.get(t))


# --- Client side: the models and who owns each record

class Catalog:
    """The models of the database as the administrator sees them over RPC,
    with their tables and the company of every record read in SQL"""

    def __init__(self, live, admin, database):
        self.built = live['models']
        self.admin = admin
        self.db = database
        self.modules = {m['name']: m['module'] for m in admin.model(
                'ir.model', 'search_read', [], 0, None, None,
                ['name', 'module'])}
        self.fields = collections.defaultdict(dict)
        for field in admin.model('ir.model.field', 'search_read', [],
                0, None, None, ['model', 'name', 'ttype', 'relation']):
            self.fields[field['model']][field['name']] = field
        # The models RPC reaches (a ModelView): the others are read only
        # through another model's fields
        self.storage = {m for m in self.modules
            if self.built.get(m, {}).get('view')}
        self.unreachable = sorted(m for m in self.modules
            if m in self.built and m not in self.storage)
        self._owners = {}
        self._definitions = {}

    # What the model is

    def table(self, model):
        return self.built.get(model, {}).get('table')

    def table_query(self, model):
        return self.built.get(model, {}).get('table_query')

    def many2ones(self, model, relation=None):
        return {n: f['relation'] for n, f in self.fields[model].items()
            if f['ttype'] == 'many2one'
            and (relation is None or f['relation'] == relation)}

    def columns(self, model):
        table = self.table(model)
        return self.db.columns(table) if table else set()

    def definitions(self, model):
        "fields_get as the administrator"
        if model not in self._definitions:
            self._definitions[model] = self.admin.model(
                model, 'fields_get', [])
        return self._definitions[model]

    def stored_fields(self, model):
        "Fields held in a column of the table (all but x2many, for a query)"
        definitions = self.definitions(model)
        names = [n for n, d in definitions.items()
            if d['type'] not in X2MANY and n not in META_FIELDS]
        if self.table(model):
            columns = self.columns(model)
            names = [n for n in names if n in columns]
        return sorted(names)

    # The enumeration of issue 12

    def company_models(self):
        return sorted(m for m in self.storage
            if self.many2ones(m, 'company.company'))

    def person_models(self):
        persons = {'party.party', 'company.employee'}
        persons |= {m for m in self.storage if m.startswith('party.')
            and self.many2ones(m, 'party.party').get('party')}
        targets = {'company.employee', 'insertion.employee.profile',
            'insertion.pass', 'insertion.contract'}
        persons |= {m for m in self.storage
            if set(self.many2ones(m).values()) & targets}
        return sorted(persons & self.storage)

    def our_models(self):
        return sorted(m for m in self.storage
            if self.modules.get(m) in OUR_MODULES)

    def enumerated(self):
        return sorted(set(self.company_models()) | set(self.person_models())
            | set(self.our_models()))

    # Who owns each record, from SQL

    def owners(self, model):
        """{id: frozenset of companies} for the records of model that
        belong to a company, read in SQL; None for a table_query"""
        if model not in self._owners:
            query = self.owner_query(model)
            owners = None
            if query:
                owners = collections.defaultdict(set)
                for id_, company in self.db.rows(query):
                    if company is not None:
                        owners[id_].add(company)
                owners = {k: frozenset(v) for k, v in owners.items()}
            elif self.table_query(model):
                owners = self.rpc_owners(model)
            self._owners[model] = owners
        return self._owners[model]

    def owner_query(self, model, depth=0):
        """SQL of (id, company) pairs: the company column, else the path
        Tryton's rules follow (__access__), else every Many2One to an owned
        model; the parties through the employees they are, so that a record
        of a person without a company (a PASS IAE, its suspensions and
        prolongations) is owned by every structure employing the person"""
        table = self.table(model)
        if not table or depth > 3:
            return None
        columns = self.columns(model)
        if model == 'party.party':
            return ('SELECT party AS id, company AS company '
                'FROM company_employee')
        companies = [n for n in self.many2ones(model, 'company.company')
            if n in columns]
        if 'company' in companies:
            return 'SELECT id AS id, company AS company FROM %s' % quote(
                table)
        paths = [f for f in self.built[model]['access_fields']
            if f in columns]
        if not paths and companies:
            return 'SELECT id AS id, %s AS company FROM %s' % (
                quote(companies[0]), quote(table))
        if not paths:
            paths = [n for n, r in sorted(self.many2ones(model).items())
                if n in columns and n not in {'create_uid', 'write_uid'}
                and r != model and not r.startswith(('ir.', 'res.'))]
        queries = []
        for name in paths:
            target = self.many2ones(model)[name]
            sub = self.owner_query(target, depth + 1)
            if sub:
                queries.append(
                    'SELECT t.id AS id, o.company AS company FROM %s t '
                    'JOIN (%s) o '
                    'ON o.id = t.%s' % (quote(table), sub, quote(name)))
        return ' UNION '.join(queries) or None

    def rpc_owners(self, model):
        """The administrator's reading of a table_query's company field, in
        each company (such queries often show the context's company only)"""
        if 'company' not in self.fields[model]:
            return None
        owners = collections.defaultdict(set)
        for company, in self.db.rows('SELECT id FROM company_company'):
            context = dict(self.admin.ctx, company=company)
            try:
                rows = self.admin.model(model, 'search_read', [], 0, None,
                    None, ['company'], context=context)
            except RPCError as error:
                print('%s unread in company %s: %s' % (
                        model, company, error.message))
                continue
            for row in rows:
                if row['company']:
                    owners[row['id']].add(row['company'])
        return {k: frozenset(v) for k, v in owners.items()}

    def inactive(self, model):
        if model == 'company.employee':
            # Tryton's employees are active between their start and end
            # dates (the person who left an ACI in _shared_person)
            today = dt.date.today()

            def date(value):
                if value:
                    return dt.date.fromisoformat(str(value)[:10])
            return {i for i, start, end in self.db.rows(
                    'SELECT id, start_date, end_date FROM company_employee')
                if (date(start) or today) > today
                or (date(end) or today) < today}
        if 'active' not in self.columns(model):
            return set()
        return {i for i, in self.db.rows(
                'SELECT id FROM %s WHERE NOT active' % quote(
                    self.table(model)))}

    def by_company(self, model, companies):
        """({company: [ids]} of the records none of companies owns, [ids]
        they own)"""
        owners = self.owners(model) or {}
        others = collections.defaultdict(list)
        own = []
        for id_, owned in sorted(owners.items()):
            if owned & companies:
                own.append(id_)
            else:
                for company in owned:
                    others[company].append(id_)
        return dict(others), own


# --- Client side: calls and their outcomes

Outcome = collections.namedtuple('Outcome', ['status', 'value'])
Violation = collections.namedtuple(
    'Violation', ['kind', 'role', 'target', 'operation', 'company',
        'detail'])


def is_access_error(message):
    "Tryton's access errors (ir/message.xml) all say so"
    return (message.startswith('You are not allowed to')
        or message.startswith('Calling button'))


def attempt(call):
    """Run call: ok (its result), access (Tryton's access error), refused
    (another user error), crash (a traceback) or another Tryton error"""
    try:
        return Outcome('ok', call())
    except RPCError as error:
        if error.kind == 'UserError':
            message = error.message or ''
            return Outcome(
                'access' if is_access_error(message) else 'refused', message)
        if error.kind is None:
            return Outcome('crash', error.message)
        return Outcome(error.kind, error.message)


def encode(value):
    "Values read over RPC, encoded back as Tryton's JSON-RPC does"
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict) and '__class__' not in value:
        return {k: encode(v) for k, v in value.items()}
    try:
        return encode_scalar(value)
    except TypeError:
        return value


def names(companies, ids):
    return ', '.join(companies.get(i, str(i)) for i in sorted(ids))


def report(violations):
    "The violations grouped by kind, one a line"
    lines = []
    by_kind = collections.defaultdict(list)
    for violation in violations:
        by_kind[violation.kind].append(violation)
    for kind in sorted(by_kind):
        lines.append('== %s (%d)' % (kind, len(by_kind[kind])))
        for v in sorted(by_kind[kind]):
            lines.append('  %s | %s | %s | %s | %s' % (
                    v.role, v.target, v.operation, v.company,
                    ' '.join(str(v.detail).split())[:160]))
    return '\n'.join(lines)


def assert_none(violations, title):
    "Fail with every violation, grouped by kind"
    if violations:
        pytest.fail('%s: %d violations\n%s' % (
                title, len(violations), report(violations)), pytrace=False)


def summary(value):
    "What a call gave, in a few words"
    if isinstance(value, dict) and ('view' in value or 'actions' in value):
        parts = []
        view = value.get('view')
        if view:
            values = dict(view.get('defaults') or {}, **(
                    view.get('values') or {}))
            parts.append('form %s (%s)' % (view.get('state'), ', '.join(
                        sorted(k for k, v in values.items() if v))))
        for action in value.get('actions') or []:
            action = action[0] if isinstance(action, list) else action
            parts.append('action %s' % action.get('name', action))
        return '; '.join(parts)
    return ' '.join(repr(value).split())[:160]


# --- Client side: the fixture

def _definition(passwords):
    demo = json.loads((ROOT / 'config' / 'demo.json').read_text())
    members = [m for m in demo['members'] if m['key'] in MEMBER_KEYS]
    users = [dict(u, password=passwords[u['login']])
        for u in demo['users'] + EXTRA_USERS]
    # No language: Tryton's access errors are read in English
    return {'database': None, 'members': members, 'users': users,
        'insertion': {'people': PEOPLE}}


@pytest.fixture(scope='module')
def live(tmp_path_factory):
    "The reduced demo built, served, and its database open in SQL"
    started = time.monotonic()
    directory = tmp_path_factory.mktemp('access_matrix')
    logins = ['admin'] + [u['login'] for u in json.loads(
            (ROOT / 'config' / 'demo.json').read_text())['users']
        + EXTRA_USERS]
    passwords = {login: 'Pw-%s-%s' % (secrets.token_urlsafe(12), i)
        for i, login in enumerate(logins)}
    spec = directory / 'spec.json'
    spec.write_text(json.dumps({
                'definition': _definition(passwords),
                'modules': OUR_MODULES,
                'admin_password': passwords['admin'],
                }))
    built = directory / 'built.json'
    database = LiveDatabase(directory, prefix='matrix')
    server = LiveServer(database)
    database.prepare()
    db = None
    try:
        print(database.run([__file__, 'build', spec, built], timeout=1200))
        server.start()
        db = Database(database)
        print('built and served in %.0fs' % (time.monotonic() - started))
        yield {'server': server, 'passwords': passwords, 'db': db,
            **json.loads(built.read_text())}
    finally:
        if db:
            db.close()
        server.stop()
        database.drop()
        print('access matrix: %.0fs in all' % (time.monotonic() - started))


@pytest.fixture(scope='module')
def matrix(live):
    return Matrix(live)


class Matrix:
    "What every test needs: the catalogue, the clients, the companies"

    def __init__(self, live):
        self.live = live
        self.db = live['db']
        self.admin = connect(live, 'admin')
        self.catalog = Catalog(live, self.admin, self.db)
        self.members = live['members']
        self.company_names = {m['company']: k
            for k, m in self.members.items()}
        self._clients = {}
        self._companies = {}
        self.seen = {}

    def client(self, login):
        if login not in self._clients:
            self._clients[login] = connect(self.live, login)
        return self._clients[login]

    def companies(self, login):
        "The companies the role's user works in (from SQL)"
        if login not in self._companies:
            self._companies[login] = frozenset(c for c, in self.db.rows(
                    'SELECT company FROM "res_user-company_company" '
                    'WHERE "user" = %s', [self.live['users'][login]]))
        return self._companies[login]

    def other(self, login):
        "The company tried as another company's for the role"
        return self.members[ROLES[login][2]]['company']

    def name(self, company):
        return self.company_names.get(company, str(company))

    def access(self, login, models):
        "Tryton's model access of the role: {model: {read, write, ...}}"
        return self.client(login).model('ir.model.access', 'get_access',
            list(models))


# --- The enumeration and the static rules

def test_enumeration(matrix):
    "Every model of issue 12, printed; an empty enumeration cannot pass"
    catalog = matrix.catalog
    groups = {
        'with a company field': catalog.company_models(),
        'linked to a person': catalog.person_models(),
        'of our modules': catalog.our_models(),
        }
    for title, models in groups.items():
        print('%d models %s: %s' % (len(models), title, ', '.join(models)))
    enumerated = catalog.enumerated()
    print('%d models enumerated' % len(enumerated))
    print('not reachable over RPC (no ModelView): %s' % ', '.join(
            catalog.unreachable))
    assert len(enumerated) >= ENUMERATION_FLOOR
    for model in ['account.move', 'account.move.line', 'account.invoice']:
        assert model in groups['with a company field']
    for model in ['party.party', 'party.address', 'company.employee',
            'insertion.pass.suspension', 'insertion.payroll.line']:
        assert model in groups['linked to a person']
    for model in ['hub.member', 'insertion.employee.profile',
            'hub.billing.run', 'insertion.payroll.shared']:
        assert model in groups['of our modules']
    # Every record of these is some company's in SQL: the ground truth
    # is not empty either
    for model in ['account.move', 'account.move.line', 'party.party',
            'insertion.pass.suspension', 'hub.service.share']:
        assert len(set().union(*catalog.owners(model).values())) >= 2, model
    # The aide au poste of every ACI, the AI and the EI of the demo is
    # accrued and received (issue 15), not only the EI's
    for model in ['insertion.payroll.aid.accrual',
            'insertion.payroll.aid.payment']:
        assert {matrix.members[k]['company']
            for k in ['jardins', 'services', 'scop']} <= set().union(
            *catalog.owners(model).values()), model
    stale = set(ALLOWLIST) - set(catalog.company_models())
    assert not stale, "allowlisted models without a company field"


def rule_coverage(matrix):
    """{model: set of modes} that a global or default rule naming the
    company covers, on the model or one of its __access__ models"""
    admin = matrix.admin
    domains = collections.defaultdict(list)
    for rule in admin.model('ir.rule', 'search_read', [], 0, None, None,
            ['rule_group', 'domain']):
        domains[rule['rule_group']].append(rule['domain'])
    covered = collections.defaultdict(set)
    for group in admin.model('ir.rule.group', 'search_read', [], 0, None,
            None, ['model', 'global_p', 'default_p', 'perm_read',
                'perm_write', 'perm_create', 'perm_delete']):
        if not (group['global_p'] or group['default_p']):
            continue
        if not any('compan' in d for d in domains[group['id']]):
            continue
        for mode in ['read', 'write', 'create', 'delete']:
            if group['perm_%s' % mode]:
                covered[group['model']].add(mode)
    return covered


def test_static_rules(matrix):
    """Every model with a company field, and every model whose records
    belong to a company through a Many2One, has a company rule for each
    mode (read only for a table_query), or is allowlisted with its reason"""
    catalog = matrix.catalog
    covered = rule_coverage(matrix)
    violations = []
    for model in catalog.enumerated():
        if model in ALLOWLIST:
            continue
        if model in catalog.company_models():
            why = 'a company field'
        elif model == 'party.party':
            why = "persons: the employees' parties"
        elif catalog.owner_query(model):
            why = 'owned through %s' % ', '.join(sorted(
                    set(catalog.built[model]['access_fields'])
                    or set(catalog.many2ones(model)) & catalog.columns(model)
                    - {'create_uid', 'write_uid'}))
        else:
            continue
        modes = set(covered.get(model, ()))
        for target in catalog.built[model]['access']:
            modes |= covered.get(target, set())
        needed = ({'read'} if catalog.table_query(model)
            else {'read', 'write', 'create', 'delete'})
        missing = [m for m in ['read', 'write', 'create', 'delete']
            if m in needed - modes]
        if missing:
            violations.append(Violation('no company rule', '-', model,
                    ', '.join(missing), '-', '%s, module %s' % (
                        why, catalog.modules.get(model))))
    print('allowlist:\n' + '\n'.join(
            '  %s: %s' % item for item in sorted(ALLOWLIST.items())))
    assert_none(violations, 'static rules')


# --- Reading another company's records

def export_fields(catalog, model):
    "id, rec_name, a path through the company (or __access__) and fields"
    many2ones = catalog.many2ones(model)
    paths = ['id', 'rec_name']
    owner = [n for n, r in many2ones.items() if r == 'company.company']
    owner = ('company' if 'company' in owner else (owner or list(
                catalog.built[model]['access_fields']) or [None])[0])
    if owner:
        paths.append('%s/rec_name' % owner)
    definitions = catalog.definitions(model)
    paths += [n for n in catalog.stored_fields(model)
        if definitions[n]['type'] in {'char', 'text', 'numeric', 'date'}
        ][:3]
    return paths


def read_fields(catalog, model):
    return ['rec_name'] + catalog.stored_fields(model)


def leaks(matrix, ids, others):
    "{company name: count} of ids that are other companies'"
    ids = set(ids)
    return {matrix.name(c): len(ids & set(i))
        for c, i in others.items() if ids & set(i)}


def check_search(matrix, login, model, others, violations):
    "search and search_count give no record of another company"
    client = matrix.client(login)
    catalog = matrix.catalog
    found = attempt(lambda: client.model(model, 'search', [], 0, None,
            None))
    visible = None
    if found.status == 'ok':
        visible = set(found.value)
        for company, count in leaks(matrix, visible, others).items():
            violations.append(Violation('leak', login, model, 'search',
                    company, '%d records' % count))
    elif found.status != 'access':
        violations.append(Violation(found.status, login, model, 'search',
                '-', found.value))
    count = attempt(lambda: client.model(model, 'search_count', [], 0,
            None))
    if count.status == 'ok' and catalog.table(model):
        inactive = catalog.inactive(model)
        total, = catalog.db.rows('SELECT COUNT(*) FROM %s' % quote(
                catalog.table(model)))
        other = set().union(*others.values()) if others else set()
        allowed = total[0] - len(inactive) - len(other - inactive)
        if count.value > allowed:
            violations.append(Violation('leak', login, model,
                    'search_count', '-', '%d counted, %d allowed' % (
                        count.value, allowed)))
    elif count.status not in {'ok', 'access'}:
        violations.append(Violation(count.status, login, model,
                'search_count', '-', count.value))
    return visible


def refused(outcome, login, model, operation, company, violations,
        accepted='leak'):
    "Record outcome unless it is Tryton's access error"
    if outcome.status == 'access':
        return True
    if outcome.status == 'ok':
        violations.append(Violation(accepted, login, model, operation,
                company, summary(outcome.value)))
    else:
        violations.append(Violation(
                'not an access error' if outcome.status == 'refused'
                else outcome.status, login, model, operation, company,
                outcome.value))
    return False


def check_reads(matrix, login, model, others, readable, violations):
    """read, export_data, search_read and export_data_domain on another
    company's records: refused, or nothing"""
    client = matrix.client(login)
    catalog = matrix.catalog
    fields = read_fields(catalog, model)
    paths = export_fields(catalog, model)
    samples = {c: ids[:3] for c, ids in others.items()}
    # Without the model's read access one call proves it for every company
    if not readable:
        samples = {'-': sorted(set().union(*samples.values()))[:6]}
    for company, ids in sorted(samples.items()):
        name = matrix.name(company) if company != '-' else 'any'
        refused(attempt(lambda: client.model(model, 'read', ids, fields)),
            login, model, 'read', name, violations)
        refused(attempt(lambda: client.model(model, 'export_data', ids,
                    paths)), login, model, 'export_data', name, violations)
    if not readable:
        return
    every = sorted(set().union(*samples.values()))
    context = dict(client.ctx, active_test=False)
    for operation, call in [
            ('search_read', lambda: [r['id'] for r in client.model(model,
                        'search_read', [('id', 'in', every)], 0, None, None,
                        ['id', 'rec_name'], context=context)]),
            ('export_data_domain', lambda: client.model(model,
                    'export_data_domain', [('id', 'in', every)],
                    ['id'], context=context)),
            ]:
        outcome = attempt(call)
        if outcome.status == 'ok' and outcome.value:
            ids = outcome.value
            if operation == 'export_data_domain':
                ids = [int(r[0]) for r in ids]
            for company, count in leaks(matrix, ids, others).items():
                violations.append(Violation('leak', login, model,
                        operation, company, '%d records' % count))
        elif outcome.status not in {'ok', 'access'}:
            violations.append(Violation(outcome.status, login, model,
                    operation, '-', outcome.value))


def check_table_query(matrix, login, model, mine, violations):
    "A table_query without SQL truth: what the role reads is its own"
    client = matrix.client(login)
    if 'company' not in matrix.catalog.fields[model]:
        return
    outcome = attempt(lambda: client.model(model, 'search_read', [], 0,
            None, None, ['company']))
    if outcome.status == 'ok':
        strangers = collections.Counter(r['company'] for r in outcome.value
            if r['company'] and r['company'] not in mine)
        for company, count in strangers.items():
            violations.append(Violation('leak', login, model, 'search_read',
                    matrix.name(company), '%d rows' % count))
    elif outcome.status != 'access':
        violations.append(Violation(outcome.status, login, model,
                'search_read', '-', outcome.value))


@pytest.mark.parametrize('login', ROLES)
def test_reads(matrix, login):
    """No way of reading gives another company's records; what is refused
    is refused with an access error"""
    catalog = matrix.catalog
    mine = matrix.companies(login)
    models = [m for m in catalog.enumerated() if m not in ALLOWLIST]
    access = matrix.access(login, models)
    violations = []
    seen = matrix.seen.setdefault(login, {})
    for model in models:
        owners = catalog.owners(model)
        if owners is None:
            check_table_query(matrix, login, model, mine, violations)
            continue
        others, own = catalog.by_company(model, mine)
        visible = check_search(matrix, login, model, others, violations)
        seen[model] = (len(set(own) & (visible or set())),
            len(set(own) - catalog.inactive(model)))
        if others:
            check_reads(matrix, login, model, others,
                access[model]['read'], violations)
    assert_none(violations, 'reads by %s' % login)


def test_own_records(matrix):
    """The roles still see their own records: a test that only checks
    refusals passes when everything is refused"""
    expected = {
        'director': ['account.move', 'account.move.line', 'account.account',
            'account.invoice', 'company.employee', 'insertion.contract',
            'insertion.pass'],
        'counsellor': ['company.employee', 'insertion.employee.profile',
            'insertion.pass', 'insertion.contract'],
        'board': [],
        }
    violations = []
    for login, (role, _, _) in ROLES.items():
        seen = matrix.seen.get(login)
        if seen is None:
            pytest.skip('test_reads did not run')
        for model in expected[role]:
            visible, total = seen.get(model, (0, 0))
            if not total:
                violations.append(Violation('no own record in SQL', login,
                        model, 'search', '-', 'the demo has none'))
            elif not visible:
                violations.append(Violation('own records invisible', login,
                        model, 'search', '-', '0 of %d' % total))
        print('%s sees its own records of %d models: %s' % (login,
                sum(1 for v, _ in seen.values() if v), ', '.join(
                    '%s %d/%d' % (m, v, t)
                    for m, (v, t) in sorted(seen.items()) if v)))
    assert_none(violations, 'own records')


def test_accountant_each_company(matrix):
    "The accountant sees each company's records after switching to it"
    client = matrix.client('comptable')
    catalog = matrix.catalog
    models = [m for m in catalog.enumerated()
        if catalog.table(m) and m not in ALLOWLIST]
    access = matrix.access('comptable', models)
    violations = []
    for key in MEMBER_KEYS:
        company = matrix.members[key]['company']
        client.call('model.res.user.set_preferences',
            [{'company': company}, client.ctx])
        client.load_context()
        for model in models:
            if not access[model]['read']:
                continue
            others, own = catalog.by_company(model, frozenset([company]))
            own = set(own) - catalog.inactive(model)
            if not own:
                continue
            found = attempt(lambda: client.model(model, 'search',
                    [('id', 'in', sorted(own))], 0, None, None))
            if found.status != 'ok':
                violations.append(Violation(found.status, 'comptable',
                        model, 'search', key, found.value))
            elif set(found.value) != own:
                violations.append(Violation('accountant misses records',
                        'comptable', model, 'search', key, '%d of %d' % (
                            len(set(found.value) & own), len(own))))
    assert_none(violations, 'the accountant')


def test_shared_pass(matrix):
    """One person, one PASS IAE (issue 15): the structure that hired the
    person today reads the PASS and its suspensions and changes them; the
    one they left yesterday reads them and changes nothing; each reads only
    its own contracts of the person (the structures that never employed
    them are tried by test_reads, test_writes and test_deletes)"""
    shared = matrix.live['shared']
    pass_, suspensions = shared['pass'], shared['suspensions']
    number = sql_one(matrix, 'SELECT number FROM insertion_pass WHERE id = '
        '%s', [pass_])
    violations = []
    for login, employs in [('conseillere_b', True), ('conseillere', False)]:
        client = matrix.client(login)
        own = matrix.members[ROLES[login][1]]['company']
        found = attempt(lambda: client.model('insertion.pass', 'search',
                [], 0, None, None))
        if found.status != 'ok' or pass_ not in found.value:
            violations.append(Violation('shared PASS unseen', login,
                    'insertion.pass', 'search', '-', found.value))
        for model, ids, fields in [
                ('insertion.pass', [pass_], ['number', 'end_date']),
                ('insertion.pass.suspension', suspensions, ['start_date'])]:
            for operation in ['read', 'export_data']:
                outcome = attempt(lambda: client.model(model, operation,
                        ids, fields))
                if outcome.status != 'ok':
                    violations.append(Violation('shared PASS unread', login,
                            model, operation, '-', outcome.value))
        before = row_state(matrix.catalog, 'insertion.pass', pass_)
        outcome = attempt(lambda: client.model('insertion.pass', 'write',
                [pass_], {'number': number}))
        if employs and outcome.status != 'ok':
            violations.append(Violation('shared PASS unchangeable', login,
                    'insertion.pass', 'write', '-', outcome.value))
        elif not employs:
            refused(outcome, login, 'insertion.pass', 'write', 'left',
                violations, accepted='accepted')
            if row_state(matrix.catalog, 'insertion.pass', pass_) != before:
                violations.append(Violation('written', login,
                        'insertion.pass', 'write', 'left', pass_))
            refused(attempt(lambda: client.model('insertion.pass.suspension',
                        'delete', suspensions[:1])), login,
                'insertion.pass.suspension', 'delete', 'left', violations,
                accepted='accepted')
        contracts = attempt(lambda: client.model('insertion.contract',
                'search', [('employee.party', '=', shared['party'])], 0,
                None, None))
        expected = [i for i, in matrix.db.rows('SELECT c.id FROM '
                'insertion_contract c JOIN company_employee e ON e.id = '
                'c.employee WHERE e.party = %s AND c.company = %s',
                [shared['party'], own])]
        if contracts.status != 'ok' or sorted(contracts.value) != sorted(
                expected):
            violations.append(Violation('contracts of the person', login,
                    'insertion.contract', 'search', '-', '%s, expected %s' % (
                        contracts.value, expected)))
    assert_none(violations, 'the shared PASS IAE')


# --- Writing another company's records

HARMLESS = ['description', 'comment', 'note', 'notes', 'reference', 'name',
    'code']


def pick(catalog, model, ids):
    """The record to write, still in SQL (an earlier leak may have deleted
    one): a draft one when the model has states"""
    table = quote(catalog.table(model))
    present = {i for i, in catalog.db.rows('SELECT id FROM %s' % table)}
    ids = [i for i in ids if i in present]
    if not ids:
        return None
    if 'state' in catalog.columns(model):
        drafts = {i for i, in catalog.db.rows(
                "SELECT id FROM %s WHERE state = 'draft'" % quote(
                    catalog.table(model)))}
        for id_ in ids:
            if id_ in drafts:
                return id_
    return ids[0]


def harmless_write(catalog, model, id_):
    "A stored char or text field and its value, to write again unchanged"
    definitions = catalog.definitions(model)
    stored = catalog.stored_fields(model)
    fields = [f for f in HARMLESS if f in stored] + [
        f for f in stored if definitions[f]['type'] in {'char', 'text'}]
    if not fields:
        return {}
    field = fields[0]
    value, = catalog.db.rows('SELECT %s FROM %s WHERE id = %%s' % (
            quote(field), quote(catalog.table(model))), [id_])
    return {field: value[0]}


def row_state(catalog, model, id_):
    "The row as SQL has it (or None when gone)"
    rows = catalog.db.rows('SELECT * FROM %s WHERE id = %%s' % quote(
            catalog.table(model)), [id_])
    return tuple(map(str, rows[0])) if rows else None


def count(catalog, model):
    (total,), = catalog.db.rows('SELECT COUNT(*) FROM %s' % quote(
            catalog.table(model)))
    return total


def copy_values(matrix, model, id_):
    "An existing record's stored values, read as the administrator"
    catalog = matrix.catalog
    definitions = catalog.definitions(model)
    fields = [f for f in catalog.stored_fields(model)
        if not definitions[f].get('readonly') or definitions[f].get(
            'required')]
    record, = matrix.admin.model(model, 'read', [id_], fields)
    return {f: encode(record[f]) for f in fields if record.get(f) is not None}


def write_targets(matrix, login):
    """(model, company, id) for every enumerated model with a table: a
    record of the role's other company, else of any other company"""
    catalog = matrix.catalog
    mine = matrix.companies(login)
    for model in catalog.enumerated():
        if not catalog.table(model):
            continue
        others, _ = catalog.by_company(model, mine)
        if not others:
            continue
        company = matrix.other(login)
        if company not in others:
            company = sorted(others)[0]
        id_ = pick(catalog, model, others[company])
        if id_:
            yield model, company, id_


@pytest.mark.parametrize('login', ROLES)
def test_writes(matrix, login):
    """write and create on another company's records are refused with an
    access error and change nothing in SQL"""
    client = matrix.client(login)
    catalog = matrix.catalog
    violations = []
    for model, company, id_ in write_targets(matrix, login):
        name = matrix.name(company)
        values = harmless_write(catalog, model, id_)
        before = row_state(catalog, model, id_)
        outcome = attempt(lambda: client.model(model, 'write', [id_],
                values))
        refused(outcome, login, model, 'write %s' % sorted(values), name,
            violations, accepted='accepted')
        if row_state(catalog, model, id_) != before:
            violations.append(Violation('written', login, model, 'write',
                    name, 'row %s changed in SQL' % id_))
        if model not in CREATE_NOT_OWNED:
            check_create(matrix, login, model, company, id_, violations)
    assert_none(violations, 'writes by %s' % login)


# Models whose new record would not be the other company's whatever its
# values: parties belong to a company through its employees only
CREATE_NOT_OWNED = {'party.party'}


def unique(value, definition):
    """value changed so that no unique constraint refuses it: other digits
    for its last digits, else an X more"""
    size = definition.get('size') or 0
    digits = len(value) - len(value.rstrip('0123456789'))
    if digits:
        value = value[:-digits] + ''.join(
            secrets.choice('0123456789') for _ in range(digits))
    else:
        value += 'X'
    return value[-size:] if size else value


def check_create(matrix, login, model, company, id_, violations):
    """create a copy of another company's record: refused with an access
    error; when refused for another reason (a unique constraint), tried
    again with its texts changed"""
    client = matrix.client(login)
    catalog = matrix.catalog
    name = matrix.name(company)
    values = copy_values(matrix, model, id_)
    total = count(catalog, model)
    outcome = attempt(lambda: client.model(model, 'create', [values]))
    definitions = catalog.definitions(model)
    # Random digits may hit another record's number again (an AF per year
    # and structure): a few tries
    for _ in range(5):
        if outcome.status != 'refused':
            break
        values = {f: unique(v, definitions[f])
            if definitions[f]['type'] == 'char' and isinstance(v, str)
            else v for f, v in values.items()}
        outcome = attempt(lambda: client.model(model, 'create', [values]))
    refused(outcome, login, model, 'create', name, violations,
        accepted='accepted')
    if count(catalog, model) != total:
        violations.append(Violation('written', login, model, 'create',
                name, '%d rows, %d before' % (count(catalog, model), total)))


# --- Privacy: the board, the directors, the indicators

PERSON_TARGETS = {'company.employee', 'insertion.employee.profile',
    'insertion.pass', 'insertion.contract'}


def person_ids(catalog, model):
    "The records of model that are a person or about one, from SQL"
    db, table = catalog.db, catalog.table(model)
    persons = {p for p, in db.rows('SELECT party FROM company_employee')}
    if model == 'party.party':
        return persons
    if model in PERSON_TARGETS:
        return {i for i, in db.rows('SELECT id FROM %s' % quote(table))}
    ids = set()
    for name, relation in catalog.many2ones(model).items():
        if name not in catalog.columns(model):
            continue
        if relation in PERSON_TARGETS:
            ids |= {i for i, in db.rows('SELECT id FROM %s WHERE %s IS '
                    'NOT NULL' % (quote(table), quote(name)))}
        elif relation == 'party.party' and model.startswith('party.'):
            ids |= {i for i, p in db.rows('SELECT id, %s FROM %s' % (
                        quote(name), quote(table))) if p in persons}
    return ids


def test_board_no_person(matrix):
    "The board reads no record of a person, in any company, its own too"
    login = 'administrateur'
    client = matrix.client(login)
    catalog = matrix.catalog
    violations = []
    tried = []
    for model in catalog.person_models():
        if model in BOARD_PERSON_ALLOWED or not catalog.table(model):
            continue
        ids = person_ids(catalog, model)
        if not ids:
            continue
        tried.append('%s (%d)' % (model, len(ids)))
        found = attempt(lambda: client.model(model, 'search', [], 0, None,
                None))
        if found.status == 'ok' and set(found.value) & ids:
            violations.append(Violation('person visible to the board',
                    login, model, 'search', '-', '%d records' % len(
                        set(found.value) & ids)))
        elif found.status not in {'ok', 'access'}:
            violations.append(Violation(found.status, login, model,
                    'search', '-', found.value))
        counted = attempt(lambda: client.model(model, 'search_count', [],
                0, None))
        others = count(catalog, model) - len(ids)
        if counted.status == 'ok' and counted.value > others:
            violations.append(Violation('person visible to the board',
                    login, model, 'search_count', '-', '%d counted, %d are '
                    'no person' % (counted.value, others)))
        refused(attempt(lambda: client.model(model, 'read',
                    sorted(ids)[:5], ['rec_name'])), login, model, 'read',
            '-', violations, accepted='person visible to the board')
    print('person models tried for the board: %s' % ', '.join(tried))
    assert len(tried) >= 10
    assert_none(violations, 'persons read by the board')


def own_ids(matrix, login, query):
    "ids of query (with a %s for the company) in the role's own company"
    company = matrix.members[ROLES[login][1]]['company']
    return [i for i, in matrix.db.rows(query, [company])]


PRIVATE = [
    ('insertion.pass.suspension', 'reason',
        'SELECT s.id FROM insertion_pass_suspension s JOIN insertion_pass p '
        'ON p.id = s.pass_ JOIN company_employee e ON e.party = p.party '
        'WHERE e.company = %s'),
    ('insertion.pass.prolongation', 'reason',
        'SELECT s.id FROM insertion_pass_prolongation s '
        'JOIN insertion_pass p ON p.id = s.pass_ JOIN company_employee e '
        'ON e.party = p.party WHERE e.company = %s'),
    ('insertion.contract', 'derogation_reason',
        'SELECT id FROM insertion_contract WHERE company = %s '
        'AND derogation_reason IS NOT NULL'),
    ]


def private_fields(matrix):
    "(model, field, query) a director must not read in his own company"
    profile = 'insertion.employee.profile'
    fields = [(profile, f, 'SELECT id FROM insertion_employee_profile '
            'WHERE company = %s')
        for f in sorted(matrix.catalog.definitions(profile))
        if f not in PROFILE_PUBLIC]
    return fields + PRIVATE


@pytest.mark.parametrize('login', DIRECTORS)
def test_director_private_fields(matrix, login):
    """A director reads no field of his structure's insertion profiles but
    the public ones, nor the reasons of suspensions, prolongations and
    hours derogations; his counsellor does (the control)"""
    director = matrix.client(login)
    counsellor = matrix.client(
        'conseillere' if login == 'direction' else 'conseillere_b')
    violations = []
    for model, field, query in private_fields(matrix):
        ids = own_ids(matrix, login, query)[:1]
        if not ids:
            violations.append(Violation('no own record in SQL', login,
                    model, field, '-', 'cannot be tried'))
            continue
        outcome = attempt(lambda: director.model(model, 'read', ids,
                [field]))
        if outcome.status == 'ok':
            violations.append(Violation('private field readable', login,
                    model, field, 'own', repr(outcome.value)[:100]))
        elif outcome.status != 'access':
            refused(outcome, login, model, 'read %s' % field, 'own',
                violations)
        control = attempt(lambda: counsellor.model(model, 'read', ids,
                [field]))
        if control.status != 'ok':
            violations.append(Violation('counsellor cannot read',
                    counsellor.login_name, model, field, 'own',
                    control.value))
    assert_none(violations, 'private fields read by %s' % login)


def indicator_rows(client, fields, start, end):
    context = dict(client.ctx, from_date=encode(start),
        to_date=encode(end))
    ids = client.model('insertion.indicator', 'search', [], 0, None, None,
        context=context)
    return client.model('insertion.indicator', 'read', ids,
        ['company'] + fields, context=context)


def hidden(value):
    return not isinstance(value, int) or isinstance(value, bool)


def small_cells(matrix, login, rows, counts, total):
    """Counts from 1 to 4 shown, and counts their complement gives away
    (the pôle minus the structures shown, for a reader of all the total
    structures: a reader of fewer cannot subtract the ones it lacks)"""
    violations = []
    structures = [r for r in rows if r['company']]
    pole = [r for r in rows if not r['company']]
    if len(structures) < total:
        pole = []
    for row in rows:
        where = matrix.name(row['company']) if row['company'] else 'pôle'
        small = ['%s=%s' % (f, row[f]) for f in counts
            if not hidden(row.get(f)) and 1 <= row[f] <= 4]
        if small:
            violations.append(Violation('count under 5 shown', login,
                    'insertion.indicator', 'read', where, ', '.join(small)))
        if not hidden(row.get('people')) and 'women' in counts and (
                hidden(row.get('women')) != hidden(row.get('men'))):
            violations.append(Violation('complement shown', login,
                    'insertion.indicator', 'women/men', where,
                    'people - the shown one gives the hidden one'))
    for row in pole:
        for field in counts:
            hidden_rows = [r for r in structures if hidden(r.get(field))]
            if not hidden(row.get(field)) and len(hidden_rows) == 1:
                violations.append(Violation('complement shown', login,
                        'insertion.indicator', field, matrix.name(
                            hidden_rows[0]['company']),
                        'the pôle minus the other structures'))
    return violations


@pytest.mark.parametrize('login', ['administrateur'] + DIRECTORS)
def test_indicators(matrix, login):
    """The indicators refuse a period shorter than a month and hide the
    counts from 1 to 4 (and their complement) from the board and the
    directors"""
    client = matrix.client(login)
    definitions = matrix.catalog.definitions('insertion.indicator')
    counts = sorted(n for n, d in definitions.items()
        if d['type'] in {'integer', 'char'}
        and n not in META_FIELDS | {'company'})
    assert len(counts) >= 10, "the indicator's count fields are missing"
    today = dt.date.today()
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = end.replace(day=1)
    violations = []
    day = attempt(lambda: indicator_rows(client, counts, end, end))
    if day.status == 'ok':
        violations.append(Violation('one-day period accepted', login,
                'insertion.indicator', 'read', '-',
                '%d rows for %s' % (len(day.value), end)))
    elif day.status not in {'access', 'refused'}:
        violations.append(Violation(day.status, login,
                'insertion.indicator', 'read one day', '-', day.value))
    month = attempt(lambda: indicator_rows(client, counts, start, end))
    if month.status != 'ok':
        violations.append(Violation('month refused', login,
                'insertion.indicator', 'read', '-', month.value))
    else:
        assert month.value, "no indicator row for a month"
        # A row per member at most: a reader of fewer rows lacks some
        total, = matrix.db.rows('SELECT COUNT(*) FROM hub_member')[0]
        violations += small_cells(matrix, login, month.value, counts, total)
    assert_none(violations, 'indicators read by %s' % login)


# --- Wizards and reports

def run_wizard(client, name, context, steps):
    """Create the wizard and execute steps [(state, data)]; the outcome of
    the last call made (a refusal stops it); the session is deleted"""
    created = attempt(lambda: client.call('wizard.%s.create' % name,
            [context]))
    if created.status != 'ok':
        return created
    session, _, _ = created.value
    outcome = created
    try:
        for state, data in steps:
            outcome = attempt(lambda: client.call(
                    'wizard.%s.execute' % name,
                    [session, data, state, context]))
            if outcome.status != 'ok':
                break
    finally:
        attempt(lambda: client.call('wizard.%s.delete' % name,
                [session, context]))
    return outcome


def exposed(matrix, login, result):
    """Another company's records in a wizard's answer: the many2one and
    x2many values of its form, the company it is filled for"""
    catalog = matrix.catalog
    mine = matrix.companies(login)
    view = (result or {}).get('view') or {}
    fields = (view.get('fields_view') or {}).get('fields', {})
    found = []
    for values in [view.get('defaults') or {}, view.get('values') or {}]:
        for name, value in values.items():
            relation = fields.get(name, {}).get('relation')
            if not relation or value in (None, []):
                continue
            ids = value if isinstance(value, list) else [value]
            ids = [i for i in ids if isinstance(i, int)]
            if relation == 'company.company':
                strangers = set(ids) - mine
            else:
                owners = catalog.owners(relation) or {}
                strangers = {i for i in ids
                    if owners.get(i) and not owners[i] & mine}
            if strangers:
                found.append('%s: %s' % (name, sorted(strangers)[:3]))
    return found


def wizard_actions(matrix):
    if not hasattr(matrix, '_wizard_actions'):
        matrix._wizard_actions = matrix.admin.model('ir.action.wizard',
            'search_read', [], 0, None, None, ['wiz_name', 'model', 'name'])
    return matrix._wizard_actions


class Writes:
    "Whether a call wrote anything, by the fingerprint of every table"

    def __init__(self, db):
        self.db = db
        self.before = db.fingerprint()

    def since(self):
        after = self.db.fingerprint()
        tables, self.before = changed(self.before, after), after
        return tables


def crashes_anyway(client, name, start, outcome):
    "Whether the wizard crashes the same in the user's own company"
    again = run_wizard(client, name, dict(client.ctx), [(start, {})])
    return again == outcome


@pytest.mark.parametrize('login', ROLES)
def test_wizards(matrix, login):
    """Every wizard action, started on another company's record or with
    another company in the context: refused, or showing and writing
    nothing of it"""
    client = matrix.client(login)
    catalog = matrix.catalog
    other = matrix.other(login)
    writes = Writes(matrix.db)
    violations, ran = [], []
    for action in wizard_actions(matrix):
        name, model = action['wiz_name'], action['model']
        context = dict(client.ctx, action_id=action['id'])
        if model:
            others, _ = catalog.by_company(model, matrix.companies(login))
            if not others:
                continue
            company = other if other in others else sorted(others)[0]
            id_ = others[company][0]
            context.update(active_model=model, active_id=id_,
                active_ids=[id_])
        else:
            company = other
            context['company'] = other
        target = '%s (%s)' % (name, model or 'no model')
        start = matrix.live['wizards'][name]['start']
        outcome = run_wizard(client, name, context, [(start, {})])
        where = matrix.name(company)
        tables = writes.since() if outcome.status == 'ok' else []
        if outcome.status == 'ok':
            shown = exposed(matrix, login, outcome.value)
            if model:
                violations.append(Violation('wizard accepts another '
                        "company's records", login, target, start, where,
                        shown or 'ran'))
            elif shown:
                violations.append(Violation('wizard shows another '
                        "company's records", login, target, start, where,
                        shown))
            else:
                ran.append(name)
        elif outcome.status == 'crash' and not model and crashes_anyway(
                client, name, start, outcome):
            ran.append('%s (crashes in any company)' % name)
        elif outcome.status != 'access':
            refused(outcome, login, target, start, where, violations)
        if tables:
            violations.append(Violation('written', login, target, start,
                    where, tables))
    print('%s ran, with another company in the context, showing nothing '
        'of it (not a violation): %s' % (login, ', '.join(sorted(set(ran)))))
    assert_none(violations, 'wizards run by %s' % login)


def sql_one(matrix, query, params=()):
    rows = matrix.db.rows(query, params)
    return rows[0][0] if rows else None


def fiscal_year(matrix, company):
    "The company's fiscal year with the most moves"
    return sql_one(matrix, 'SELECT p.fiscalyear FROM account_move m '
        'JOIN account_period p ON p.id = m.period WHERE m.company = %s '
        'GROUP BY p.fiscalyear ORDER BY COUNT(*) DESC', [company])


def adjustment(matrix, fiscalyear):
    return sql_one(matrix, "SELECT id FROM account_period WHERE fiscalyear "
        "= %s AND type = 'adjustment'", [fiscalyear])


def account(matrix, company, code):
    return sql_one(matrix, 'SELECT id FROM account_account WHERE company = '
        '%s AND code = %s', [company, code])


def payroll_file(matrix, company):
    "A row of the payroll CSV for one of company's employees, this month"
    code = sql_one(matrix, 'SELECT p.code FROM company_employee e '
        'JOIN party_party p ON p.id = e.party WHERE e.company = %s '
        'AND p.code IS NOT NULL ORDER BY e.id', [company])
    month = dt.date.today().strftime('%Y-%m')
    text = ('mois;matricule;heures_payees;heures_travaillees;brut;'
        'cotisations_salariales;cotisations_patronales;net;impot_preleve\n'
        '%s;%s;151,67;147,12;3000,00;660,00;900,00;2340,00;0,00\n' % (
            month, code))
    return encode(text.encode('utf-8'))


def known_wizards(matrix, login):
    """(wizard, context company, steps) of the ways into another company's
    books named in issue 12"""
    other = matrix.other(login)
    own = matrix.members[ROLES[login][1]]['company']
    member = matrix.members[ROLES[login][2]]['member']
    fiscalyear = fiscal_year(matrix, other)
    period = adjustment(matrix, fiscalyear)
    journal = sql_one(matrix,
        "SELECT id FROM account_journal WHERE type = 'situation'")
    consolidation = sql_one(matrix, 'SELECT id FROM account_consolidation '
        'WHERE hub_template IS NOT NULL ORDER BY id')
    today = encode(dt.date.today())
    first = sql_one(matrix, 'SELECT MIN(date) FROM account_move WHERE '
        'company = %s', [other])
    first = encode(dt.date.fromisoformat(str(first)[:10]))
    fec = {'start': {'fiscalyear': fiscalyear, 'type': 'is-bic',
            'deferral_period': period}}
    closing = {'start': {'fiscalyear': fiscalyear, 'journal': journal,
            'period': period, 'credit_account': account(matrix, other, '120'),
            'debit_account': account(matrix, other, '129')}}
    payroll = {'start': {'company': other, 'filename': 'paie.csv',
            'file': payroll_file(matrix, other)}}
    for company in [own, other]:
        yield 'account.fr.fec', company, [('start', {}), ('generate', fec)]
        yield ('account.fiscalyear.balance_non_deferral', company,
            [('start', {}), ('balance', closing)])
        yield ('insertion.payroll.import.wizard', company,
            [('start', {}), ('import_', payroll)])
    for action, date in [('fec', today), ('close_period', first),
            ('lock_fiscalyear', first)]:
        yield 'hub.bookkeeping.batch', own, [('start', {}), ('run', {
                    'start': {'action': action, 'date': date,
                        'members': [member]}})]
    yield 'hub.consolidation.open_lines', own, [('start', {}), ('open_', {
                'start': {'consolidation': consolidation, 'member': member,
                    'eliminations': False, 'from_date': None,
                    'to_date': today}})]


@pytest.mark.parametrize('login', ROLES)
def test_known_wizards(matrix, login):
    """The FEC, the closing move, the payroll import, the bookkeeping batch
    and the consolidation drill-down on another company's fiscal year,
    period, file or member: refused with an access error, nothing written"""
    client = matrix.client(login)
    writes = Writes(matrix.db)
    violations = []
    for name, company, steps in known_wizards(matrix, login):
        context = dict(client.ctx, company=company)
        state, data = steps[-1]
        target = ' '.join([name, data['start'].get('action', '')]).strip()
        where = 'context %s, data of %s' % (
            matrix.name(company), ROLES[login][2])
        outcome = run_wizard(client, name, context, steps)
        refused(outcome, login, target, state, where, violations,
            accepted='accepted')
        tables = writes.since()
        if tables:
            violations.append(Violation('written', login, target, state,
                    where, tables))
    assert_none(violations, 'known wizards run by %s' % login)


@pytest.mark.parametrize('login', ROLES)
def test_reports(matrix, login):
    """Every report on another company's records is refused with an access
    error (the ledgers, the journal, the invoice among them)"""
    client = matrix.client(login)
    catalog = matrix.catalog
    violations, tried = [], set()
    for action in matrix.admin.model('ir.action.report', 'search_read', [],
            0, None, None, ['report_name', 'model']):
        model = action['model']
        if not model:
            continue
        others, _ = catalog.by_company(model, matrix.companies(login))
        if not others:
            continue
        company = matrix.other(login)
        if company not in others:
            company = sorted(others)[0]
        ids = others[company][:3]
        data = {'model': model, 'id': ids[0], 'ids': ids,
            'action_id': action['id']}
        outcome = attempt(lambda: client.call(
                'report.%s.execute' % action['report_name'],
                [ids, data, client.ctx], timeout=120))
        if outcome.status == 'ok':
            outcome = Outcome('ok', 'a %s file of %d bytes' % (
                    outcome.value[0], len(str(outcome.value[1]))))
        refused(outcome, login, action['report_name'], 'execute',
            matrix.name(company), violations, accepted='accepted')
        tried.add(action['report_name'])
    assert {'account.general_ledger', 'account.trial_balance',
        'account.move.general_journal', 'account.invoice'} <= tried
    assert_none(violations, 'reports run by %s' % login)


# --- Other ways in

@pytest.mark.parametrize('login', ROLES)
def test_attachments_and_notes(matrix, login):
    "Attachments and notes on another company's records are not readable"
    client = matrix.client(login)
    other = matrix.members[ROLES[login][2]]
    violations = []
    for model, key, fields in [('ir.attachment', 'attachment',
                ['name', 'data', 'resource']),
            ('ir.note', 'note', ['message', 'resource'])]:
        id_ = other.get(key)
        if not id_:
            continue
        found = attempt(lambda: client.model(model, 'search', [], 0, None,
                None))
        if found.status == 'ok' and id_ in found.value:
            violations.append(Violation('leak', login, model, 'search',
                    ROLES[login][2], 'on %s' % other['employee']))
        refused(attempt(lambda: client.model(model, 'read', [id_], fields)),
            login, model, 'read', ROLES[login][2], violations)
    assert_none(violations, 'attachments and notes read by %s' % login)


# Models Tryton deletes for nobody: model: reason
NO_DELETE = {
    'res.user': "Tryton never deletes a user (they are deactivated), "
    "whoever asks",
    }


@pytest.mark.parametrize('login', ROLES)
def test_deletes(matrix, login):
    """delete on another company's records is refused with an access error
    and the row is still there (run after every other test)"""
    client = matrix.client(login)
    catalog = matrix.catalog
    violations = []
    for model, company, id_ in write_targets(matrix, login):
        if model in NO_DELETE:
            continue
        outcome = attempt(lambda: client.model(model, 'delete', [id_]))
        refused(outcome, login, model, 'delete', matrix.name(company),
            violations, accepted='accepted')
        if row_state(catalog, model, id_) is None:
            violations.append(Violation('written', login, model, 'delete',
                    matrix.name(company), 'row %s deleted' % id_))
    assert_none(violations, 'deletes by %s' % login)


@pytest.mark.parametrize('login', ROLES)
def test_switch_company(matrix, login):
    "A user cannot make another company his own in his preferences"
    client = matrix.client(login)
    user = matrix.live['users'][login]
    before = sql_one(matrix, 'SELECT company FROM res_user WHERE id = %s',
        [user])
    other = matrix.other(login)
    outcome = attempt(lambda: client.call('model.res.user.set_preferences',
            [{'company': other}, client.ctx]))
    after = sql_one(matrix, 'SELECT company FROM res_user WHERE id = %s',
        [user])
    violations = []
    if outcome.status == 'ok' or after != before:
        violations.append(Violation('company switched', login, 'res.user',
                'set_preferences', matrix.name(other),
                'company %s, was %s' % (after, before)))
    elif outcome.status not in {'access', 'refused'}:
        violations.append(Violation(outcome.status, login, 'res.user',
                'set_preferences', matrix.name(other), outcome.value))
    assert_none(violations, 'company switched by %s' % login)


# --- The demo's FEC of its closed year (issue 13)

def test_demo_fec_closed_year(matrix):
    """The year-end batch closed and locked every member's previous year;
    its FEC, made by the batch, read back by the independent parser, has
    the lines of SQL: the posted ones of the year, the closing move (its
    origin the fiscal year) left out, the debits and credits the same"""
    sys.path.insert(0, str(ROOT / 'modules' / 'hub_bookkeeping' / 'tests'))
    from fec_parser import OPENING_NUMBER, parse_fec
    db = matrix.db
    end = dt.date(dt.date.today().year - 1, 12, 31)
    client = matrix.admin
    outcome = run_wizard(client, 'hub.bookkeeping.batch', client.ctx, [
            ('start', {}), ('run', {'start': {'action': 'fec',
                        'date': encode(end), 'provisional': False,
                        'members': []}})])
    assert outcome.status == 'ok', outcome
    view = outcome.value['view']
    result = dict(view.get('defaults') or {}, **(view.get('values') or {}))
    assert result.get('file'), result.get('results')
    archive = base64.b64decode(result['file']['base64'])
    with zipfile.ZipFile(io.BytesIO(archive)) as zip_:
        files = {n: zip_.read(n) for n in zip_.namelist()}
    members = db.rows('SELECT m.company, m.siret, p.name FROM hub_member m '
        'JOIN company_company c ON c.id = m.company '
        'JOIN party_party p ON p.id = c.party ORDER BY m.id')
    assert len(members) == len(MEMBER_KEYS)
    assert sorted(files) == sorted('%sFEC%s.csv' % (
            siret[:9], end.strftime('%Y%m%d')) for _, siret, _ in members)
    closings = 0
    for company, siret, name in members:
        (year, state, start), = db.rows('SELECT id, state, start_date '
            'FROM account_fiscalyear WHERE company = %s AND start_date <= '
            '%s AND end_date >= %s',
            [company, end.isoformat(), end.isoformat()])
        assert state == 'locked', name
        rows = parse_fec(files['%sFEC%s.csv' % (
                    siret[:9], end.strftime('%Y%m%d'))])
        lines = [r for r in rows if r['EcritureNum'] != OPENING_NUMBER]
        # Summed here: Tryton stores a numeric in SQLite as text (bytes)
        amounts = db.rows('SELECT l.debit, l.credit FROM account_move_line l '
            'JOIN account_move m ON m.id = l.move '
            'JOIN account_period p ON p.id = m.period '
            "WHERE p.fiscalyear = %s AND m.state = 'posted' "
            'AND (l.debit != 0 OR l.credit != 0) '
            'AND (m.origin IS NULL OR m.origin != %s)',
            [year, 'account.fiscalyear,%s' % year])
        assert amounts, "%s: no line in %s" % (name, end.year)
        assert (len(lines), sum(r['Debit'] for r in lines),
            sum(r['Credit'] for r in lines)) == (len(amounts),
            sum(numeric(d) for d, _ in amounts),
            sum(numeric(c) for _, c in amounts)), name
        print('%s: FEC %s of %s lines, debit = credit = %s' % (
                name, end.year, len(lines), sum(r['Debit'] for r in lines)))
        # The opening entries come from an earlier year only
        earlier, = db.rows('SELECT COUNT(*) FROM account_fiscalyear WHERE '
            'company = %s AND end_date < %s', [company, start])[0]
        if not earlier:
            assert len(lines) == len(rows), name
        closings += len(db.rows('SELECT id FROM account_move WHERE '
                "origin = %s AND state = 'posted'",
                ['account.fiscalyear,%s' % year]))
    # The closing moves are there (and were left out of the files above)
    assert closings, "no closing move: the year-end did not run"


def numeric(value):
    "A numeric read in SQL: bytes on SQLite, a Decimal on PostgreSQL"
    if isinstance(value, bytes):
        value = value.decode()
    return Decimal(str(value))


# --- Every menu entry of each role, opened as sao does (issue 21)

# The users and their current company (None: their own); the accountant
# in the collective and in a member, from which other members are others
MENU_USERS = [('comptable', 'collective'), ('comptable', 'jardins'),
    ('direction', None), ('administrateur', None), ('conseillere', None)]


@pytest.mark.parametrize('login,current', MENU_USERS)
def test_menus(matrix, login, current):
    """Each menu entry the role sees opens without an error, with the
    context sao sends; the board is offered no screen of persons"""
    client = matrix.client(login)
    if current:
        client.call('model.res.user.set_preferences',
            [{'company': matrix.members[current]['company']}, client.ctx])
        client.load_context()
    walked = menus.walk(client)
    print('%s: %d menu actions opened, %d problems' % (
            login, len(walked.opened), len(walked.problems)))
    violations = [Violation('menu error', login, p.menu, p.call, '-',
            p.error) for p in walked.problems]
    if login == 'administrateur':
        persons = set(matrix.catalog.person_models()) - set(
            BOARD_PERSON_ALLOWED)
        for opened in walked.opened:
            if (opened.model in persons
                    or opened.model.startswith(BOARD_NO_WIZARDS)
                    or opened.model in {'party.party', 'company.employee'}):
                violations.append(Violation('person menu for the board',
                        login, opened.menu, opened.type, '-', opened.model))
    # Every role has its daily screens
    assert len(walked.opened) >= 5
    assert_none(violations, 'menus of %s' % login)


def indicator_tabs(client):
    "{tab name: rows} of the indicators' menu, last year, as sao opens it"
    menu, = [m for m in client.model('ir.ui.menu', 'search_read', [], 0,
            None, None, ['complete_name', 'action'])
        if m['complete_name'].endswith('/ Insertion Indicators')]
    action, = client.model('ir.action.keyword', 'get_keyword', 'tree_open',
        ['ir.ui.menu', menu['id']])
    year = dt.date.today().year - 1
    context = dict(client.ctx, from_date=encode(dt.date(year, 1, 1)),
        to_date=encode(dt.date(year, 12, 31)))
    tabs = {}
    for name, domain, _ in action['domains']:
        domain = menus.decode(domain, dict(client.ctx, context=client.ctx),
            [])
        ids = client.model('insertion.indicator', 'search', domain, 0, None,
            None, context=context)
        tabs[name] = client.model('insertion.indicator', 'read', ids,
            ['label', 'company', 'people'], context=context)
    return tabs


def test_indicator_tabs(matrix):
    """The indicators: the pôle's row, labelled, under a tab of its own, the
    structures' under theirs, so that no total counts it twice"""
    board = indicator_tabs(matrix.client('administrateur'))
    # The board's user is the collective's: the pôle's row only
    assert {k: [(r['label'], r['company']) for r in v]
        for k, v in board.items()} == {
        'Whole Pôle': [('The whole pôle', None)], 'Structures': []}
    # The administrator reads every structure, exact
    admin = indicator_tabs(matrix.admin)
    pole, = admin['Whole Pôle']
    structures = admin['Structures']
    names = {k: m['name'] for k, m in matrix.members.items()}
    # The collective is no SIAE: no row; every SIAE member has one
    assert sorted(r['label'] for r in structures) == sorted(
        names[k] for k in ['jardins', 'services', 'scop'])
    assert pole['label'] == 'The whole pôle'
    assert pole['people'] == sum(r['people'] for r in structures) > 0

if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'build':
        build(sys.argv[2], sys.argv[3])
    else:
        sys.exit('usage: %s build SPEC RESULT' % sys.argv[0])
