"""Company isolation seen from a real client: JSON-RPC to a live trytond.

Two member associations, A and B, each with accounts, a posted move, a draft
customer invoice and an employee.  A's director (and A's insertion
counsellor) log in over JSON-RPC and must see A's records, with A's figures,
and nothing of B: B's ids never come back from a search, and reading them
is refused by the record rules.

The database is built server-side in a subprocess (`python
tests/test_rpc_isolation.py build IN OUT`), then a `trytond` server is
started on a free loopback port.  SQLite by default, PostgreSQL when
TRYTOND_DATABASE_URI is set.
"""
import json
import sys
import time
from decimal import Decimal

import pytest

from live import (
    RPCError, build_lock_tables, connect, create_users, read, run_restarted,
    search, serve_built)

# What each member gets; the figures differ so that a leak shows.
MEMBERS = {
    'a': {
        'name': "Association Alpha du Val",
        'siret': '41234501900019',
        'move_amount': '250.00',
        'invoice_quantity': 3,
        'invoice_unit_price': '40.00',
        'employee': "Alice Martin",
        'customer': "Client Alpha",
        },
    'b': {
        'name': "Association Bêta du Val",
        'siret': '41234502700012',
        'move_amount': '310.40',
        'invoice_quantity': 2,
        'invoice_unit_price': '75.50',
        'employee': "Bruno Petit",
        'customer': "Client Bêta",
        },
    }
# login: (member, role xml id)
USERS = {
    'user_a': ('a', 'role_director'),
    'counsellor_a': ('a', 'insertion.role_counsellor'),
    'user_b': ('b', 'role_director'),
    # Created with A only: the role gives the accountant every member.
    'comptable': ('a', 'role_accountant'),
    }
READ_RULE_ERROR = 'You are not allowed to read records'
ACCESS_ERROR = 'You are not allowed to access'


# --- Server side: run in a subprocess, never imported by pytest's process

def build(spec_path, result_path):
    """Activate hub and insertion (the counsellor's role) and create the
    members, their records and the users"""
    started = time.monotonic()

    def log(message):
        print('%6.1fs %s' % (time.monotonic() - started, message), flush=True)

    spec = json.loads(open(spec_path).read())
    # Uses DB_NAME and DB_CACHE from the environment: a database with hub
    # and insertion activated is restored from the cache when the modules did not change.
    import dbcache  # tests/dbcache.py: from a cached smaller database
    dbcache.install()
    from trytond.tests.test_tryton import DB_NAME, activate_module
    activate_module(['hub', 'insertion'])
    log('hub and insertion activated in %s' % DB_NAME)

    # Onboarding and posting lock these tables: taking the locks from the
    # start spares restarts that each redo an onboarding (~50 s on
    # PostgreSQL); any other lock restarts it.
    result = run_restarted(
        lambda pool: _populate(pool, spec, log), build_lock_tables(), log)
    with open(result_path, 'w') as file:
        json.dump(result, file, indent=1)


def _populate(pool, spec, log):
    from trytond.transaction import Transaction

    Member = pool.get('hub.member')
    ModelData = pool.get('ir.model.data')
    Template = pool.get('account.account.template')
    Account = pool.get('account.account')
    Date = pool.get('ir.date')

    today = Date.today()
    template = Template(ModelData.get_id('account_fr', 'root'))
    result = {'members': {}, 'users': {}}
    companies = {}
    for key, value in spec['members'].items():
        member = Member.onboard(
            value['name'], value['siret'], 'aci', template,
            today.replace(month=1, day=1), today.replace(month=12, day=31))
        company = member.company
        companies[key] = company
        log('member %s onboarded' % key)
        with Transaction().set_context(
                company=company.id, companies=[company.id]):
            data = _populate_company(pool, company, value, today)
        data['company'] = company.id
        data['member'] = member.id
        data['accounts'] = sorted(
            a.id for a in Account.search([('company', '=', company.id)]))
        result['members'][key] = data

    result['users'] = create_users(spec, companies)
    log('users created')
    return result


def _populate_company(pool, company, value, today):
    Account = pool.get('account.account')
    Configuration = pool.get('account.configuration')
    Employee = pool.get('company.employee')
    Invoice = pool.get('account.invoice')
    InvoiceLine = pool.get('account.invoice.line')
    Journal = pool.get('account.journal')
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    Party = pool.get('party.party')
    Address = pool.get('party.address')
    Period = pool.get('account.period')

    def account(kind):
        accounts = Account.search([
                ('company', '=', company.id),
                ('type.%s' % kind, '=', True),
                ('closed', '=', False),
                ('party_required', '=', False),
                ], order=[('code', 'ASC'), ('id', 'ASC')], limit=1)
        assert accounts, "no %s account for %s" % (kind, company.rec_name)
        return accounts[0]

    employee = Employee(
        company=company, party=Party(name=value['employee']))
    employee.party.save()
    employee.save()

    expense, revenue = account('expense'), account('revenue')
    amount = Decimal(value['move_amount'])
    journal, = Journal.search([('type', '=', 'general')], limit=1)
    period = Period.find(company, date=today)
    move = Move(
        company=company, journal=journal, period=period, date=today,
        description="Isolation test move",
        lines=[
            Line(account=expense, debit=amount, credit=Decimal(0)),
            Line(account=revenue, debit=Decimal(0), credit=amount),
            ])
    move.save()
    Move.post([move])

    customer = Party(
        name=value['customer'], addresses=[Address(city="Reims")])
    customer.save()
    receivable = Configuration(1).get_multivalue(
        'default_account_receivable', company=company.id)
    assert receivable, "no receivable account for %s" % company.rec_name
    revenue_journal, = Journal.search([('type', '=', 'revenue')], limit=1)
    invoice = Invoice(
        company=company, type='out', party=customer,
        invoice_address=customer.addresses[0], currency=company.currency,
        journal=revenue_journal, account=receivable, invoice_date=today,
        description="Isolation test invoice",
        lines=[InvoiceLine(
                company=company, currency=company.currency, type='line',
                account=revenue, description="Accompaniment",
                quantity=value['invoice_quantity'],
                unit_price=Decimal(value['invoice_unit_price']))])
    invoice.save()

    return {
        'employee': employee.id,
        'employee_party': employee.party.id,
        'move': move.id,
        'move_number': move.number,
        'move_state': move.state,
        'move_lines': sorted(line.id for line in move.lines),
        'expense_account': expense.id,
        'expense_code': expense.code,
        'revenue_account': revenue.id,
        'receivable_account': receivable.id,
        'invoice': invoice.id,
        'invoice_state': invoice.state,
        'invoice_untaxed': str(invoice.untaxed_amount),
        'invoice_total': str(invoice.total_amount),
        'customer': customer.id,
        }


# --- Client side: the tests

@pytest.fixture(scope='module')
def live(tmp_path_factory):
    "The built database, a running server on it, and what was built"
    yield from serve_built(
        tmp_path_factory.mktemp('rpc_isolation'), 'rpciso', __file__, MEMBERS, USERS)


def assert_refused(client, model, ids, fields, expected=READ_RULE_ERROR):
    with pytest.raises(RPCError) as info:
        read(client, model, ids, fields)
    error = info.value
    assert error.kind == 'UserError', error.error
    assert expected in error.message, error.error
    return error


@pytest.fixture(scope='module')
def user_a(live):
    return connect(live, 'user_a')


@pytest.fixture(scope='module')
def counsellor_a(live):
    return connect(live, 'counsellor_a')


@pytest.fixture(scope='module')
def user_b(live):
    return connect(live, 'user_b')


def test_build(live):
    "The two members have their own charts and records"
    a, b = live['members']['a'], live['members']['b']
    assert a['company'] != b['company']
    assert len(a['accounts']) > 50 and len(b['accounts']) > 50
    assert not set(a['accounts']) & set(b['accounts'])
    for key, member in live['members'].items():
        value = MEMBERS[key]
        assert member['move_state'] == 'posted'
        assert member['invoice_state'] == 'draft'
        untaxed = (Decimal(value['invoice_unit_price'])
            * value['invoice_quantity'])
        assert Decimal(member['invoice_untaxed']) == untaxed
        assert Decimal(member['invoice_total']) == untaxed


def test_login_context(live, user_a):
    "The director of A works in A only"
    company = live['members']['a']['company']
    assert user_a.ctx['company'] == company
    preferences = user_a.call('model.res.user.get_preferences', [False, {}])
    assert preferences['companies'] == [company]


def test_accounts(live, user_a):
    a, b = live['members']['a'], live['members']['b']
    ids = search(user_a, 'account.account')
    assert ids
    assert set(ids) == set(a['accounts'])
    assert not set(ids) & set(b['accounts'])
    assert search(
        user_a, 'account.account', [('company', '=', b['company'])]) == []
    assert user_a.model(
        'account.account', 'search_count', [], 0, None) == len(
        a['accounts'])

    record, = read(
        user_a, 'account.account', [a['expense_account']],
        ['code', 'company', 'type.expense'])
    assert record['code'] == a['expense_code']
    assert record['company'] == a['company']
    assert record['type.']['expense']  # 1 on SQLite

    assert_refused(
        user_a, 'account.account', [b['expense_account']], ['code'])
    assert_refused(
        user_a, 'account.account', [b['receivable_account']], ['name'])
    # Mixed with one of A's, B's id still fails the whole read.
    assert_refused(
        user_a, 'account.account',
        [a['expense_account'], b['expense_account']], ['code'])


def test_moves(live, user_a):
    a, b = live['members']['a'], live['members']['b']
    assert search(user_a, 'account.move') == [a['move']]
    assert sorted(search(user_a, 'account.move.line')) == a['move_lines']

    move, = read(
        user_a, 'account.move', [a['move']],
        ['number', 'state', 'company', 'lines'])
    assert move['number'] == a['move_number']
    assert move['state'] == 'posted'
    assert move['company'] == a['company']
    assert sorted(move['lines']) == a['move_lines']
    lines = read(
        user_a, 'account.move.line', move['lines'],
        ['debit', 'credit', 'account'])
    amount = Decimal(MEMBERS['a']['move_amount'])
    assert sum(line['debit'] for line in lines) == amount
    assert sum(line['credit'] for line in lines) == amount
    assert {line['account'] for line in lines} == {
        a['expense_account'], a['revenue_account']}

    assert_refused(user_a, 'account.move', [b['move']], ['number'])
    assert_refused(user_a, 'account.move.line', b['move_lines'], ['debit'])


def test_invoices(live, user_a):
    a, b = live['members']['a'], live['members']['b']
    assert search(user_a, 'account.invoice') == [a['invoice']]
    assert search(
        user_a, 'account.invoice', [('company', '=', b['company'])]) == []

    invoice, = read(
        user_a, 'account.invoice', [a['invoice']],
        ['state', 'company', 'party.name', 'untaxed_amount', 'total_amount',
            'account', 'lines'])
    value = MEMBERS['a']
    untaxed = Decimal(value['invoice_unit_price']) * value['invoice_quantity']
    assert untaxed == Decimal('120.00')
    assert invoice['state'] == 'draft'
    assert invoice['company'] == a['company']
    assert invoice['party.']['name'] == value['customer']
    assert invoice['untaxed_amount'] == untaxed
    assert invoice['total_amount'] == untaxed
    assert invoice['account'] == a['receivable_account']
    line, = read(
        user_a, 'account.invoice.line', invoice['lines'],
        ['quantity', 'unit_price', 'amount'])
    assert line['quantity'] == value['invoice_quantity']
    assert line['unit_price'] == Decimal(value['invoice_unit_price'])
    assert line['amount'] == untaxed

    assert_refused(user_a, 'account.invoice', [b['invoice']], ['number'])
    assert_refused(
        user_a, 'account.invoice', [b['invoice']], ['untaxed_amount'])


@pytest.mark.parametrize('login', ['user_a', 'counsellor_a'])
def test_employees(live, login, request):
    """Directors and counsellors read employees (hub's employee rule,
    insertion's access of the counsellors)"""
    client = request.getfixturevalue(login)
    a, b = live['members']['a'], live['members']['b']
    assert search(client, 'company.employee') == [a['employee']]
    employee, = read(
        client, 'company.employee', [a['employee']],
        ['party.name', 'company'])
    assert employee['party.']['name'] == MEMBERS['a']['employee']
    assert employee['company'] == a['company']
    assert_refused(client, 'company.employee', [b['employee']], ['party'])


def test_counsellor_no_books(live, counsellor_a):
    "The counsellor role gives no access to the books"
    a = live['members']['a']
    with pytest.raises(RPCError) as info:
        search(counsellor_a, 'account.move')
    assert ACCESS_ERROR in info.value.message, info.value.error
    assert_refused(
        counsellor_a, 'account.invoice', [a['invoice']], ['number'],
        expected=ACCESS_ERROR)


def test_context_cannot_widen(live, user_a):
    "A client cannot reach B by putting B in its context"
    a, b = live['members']['a'], live['members']['b']
    context = dict(user_a.ctx, company=b['company'],
        companies=[a['company'], b['company']])
    assert search(user_a, 'account.move', context=context) == [a['move']]
    assert search(
        user_a, 'account.invoice', context=context) == [a['invoice']]
    assert search(
        user_a, 'company.employee', context=context) == [a['employee']]
    with pytest.raises(RPCError):
        read(user_a, 'account.move', [b['move']], ['number'],
            context=context)


def test_accountant_switches_company(live):
    "The collective's accountant has both members and switches between them"
    a, b = live['members']['a'], live['members']['b']
    accountant = connect(live, 'comptable')
    preferences = accountant.call(
        'model.res.user.get_preferences', [False, {}])
    assert sorted(preferences['companies']) == sorted(
        [a['company'], b['company']])
    for member in [b, a, b]:
        # What the client's company switcher does, then reloads the context
        accountant.call('model.res.user.set_preferences', [
                {'company': member['company']}, accountant.ctx])
        accountant.load_context()
        assert accountant.ctx['company'] == member['company']
        assert set(search(accountant, 'account.account')) == set(
            member['accounts'])
        assert search(accountant, 'account.move') == [member['move']]
        assert search(accountant, 'account.invoice') == [member['invoice']]
        invoice, = read(accountant, 'account.invoice', [member['invoice']],
            ['untaxed_amount'])
        other = a if member is b else b
        assert_refused(
            accountant, 'account.invoice', [other['invoice']], ['number'])
    assert invoice['untaxed_amount'] == Decimal('151.00')


def test_other_side(live, user_b):
    "The same holds from B's side: B's director sees B's records only"
    a, b = live['members']['a'], live['members']['b']
    assert search(user_b, 'account.move') == [b['move']]
    assert search(user_b, 'account.invoice') == [b['invoice']]
    assert search(user_b, 'company.employee') == [b['employee']]
    assert set(search(user_b, 'account.account')) == set(b['accounts'])
    invoice, = read(
        user_b, 'account.invoice', [b['invoice']], ['untaxed_amount'])
    assert invoice['untaxed_amount'] == Decimal('151.00')
    assert_refused(user_b, 'account.invoice', [a['invoice']], ['number'])


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'build':
        build(sys.argv[2], sys.argv[3])
    else:
        sys.exit('usage: %s build SPEC RESULT' % sys.argv[0])
