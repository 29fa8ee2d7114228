"""Insertion data seen from real clients: JSON-RPC to a live trytond.

Two ACI, A and B, each with one person hired on a CDDI (profile with
eligibility criteria, PASS IAE, contract, exit).  Over JSON-RPC:

- a board member reads the indicators (aggregates) but no name and no
  criterion: employees, profiles, PASS, contracts and exits are refused;
- A's insertion counsellor reads A's people and criteria, never B's;
- the collective's accountant reads the contracts (payroll) of both, but not
  the criteria.

The database is built server-side in a subprocess (`python
tests/test_insertion_rpc.py build IN OUT`), without charts of accounts.
SQLite by default, PostgreSQL when TRYTOND_DATABASE_URI is set.
"""
import datetime as dt
import json
import sys
from decimal import Decimal

import pytest

from live import (
    RPCError, connect, create_users, read, search, serve_built)

MEMBERS = {
    'a': {'name': "Jardins Alpha", 'siret': '41234501900019',
        'person': "Alice Martin", 'gender': 'female', 'rsa': True},
    'b': {'name': "Jardins Bêta", 'siret': '41234502700012',
        'person': "Bruno Petit", 'gender': 'male', 'rsa': False},
    }
# login: (members, role xml id)
USERS = {
    'board': (['a', 'b'], 'role_board'),
    'counsellor_a': (['a'], 'role_counsellor'),
    'director_a': (['a'], 'role_director'),
    'comptable': (['a'], 'role_accountant'),
    }
READ_RULE_ERROR = 'You are not allowed to read records'
ACCESS_ERROR = 'You are not allowed to access'
PERSONAL = ['birth_date', 'gender', 'rsa', 'qpv', 'education_level']


# --- Server side: run in a subprocess, never imported by pytest's process

def build(spec_path, result_path):
    spec = json.loads(open(spec_path).read())
    from trytond.tests.test_tryton import DB_NAME, activate_module
    activate_module('insertion')

    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(DB_NAME, 0) as transaction:
        result = _populate(Pool(), spec)
        transaction.commit()
    with open(result_path, 'w') as file:
        json.dump(result, file, indent=1)


def _populate(pool, spec):
    from trytond.transaction import Transaction

    Company = pool.get('company.company')
    Contract = pool.get('insertion.contract')
    Currency = pool.get('currency.currency')
    Employee = pool.get('company.employee')
    Exit = pool.get('insertion.exit')
    Member = pool.get('hub.member')
    Party = pool.get('party.party')
    Pass = pool.get('insertion.pass')
    Profile = pool.get('insertion.employee.profile')

    euro, = Currency.search([('code', '=', 'EUR')]) or [None]
    if not euro:
        euro = Currency(name="Euro", code='EUR', symbol='€')
        euro.save()
    result = {'members': {}, 'users': {}}
    companies = {}
    for i, (key, value) in enumerate(sorted(spec['members'].items())):
        party = Party(name=value['name'])
        party.save()
        company = Company(party=party, currency=euro)
        company.save()
        Member(company=company, kind='aci', siret=value['siret'],
            joined=dt.date(2020, 1, 1)).save()
        companies[key] = company
        with Transaction().set_context(
                company=company.id, companies=[company.id]):
            person = Party(name=value['person'])
            person.save()
            employee = Employee(company=company, party=person)
            employee.save()
            profile = Profile(company=company, employee=employee,
                birth_date=dt.date(1990, 1, 1),
                eligibility_date=dt.date(2025, 1, 1),
                gender=value['gender'], rsa=value['rsa'], qpv=True,
                education_level='cap')
            profile.save()
            pass_ = Pass(company=company, employee=employee,
                number='99999%07d' % (i + 1), start_date=dt.date(2025, 1, 1))
            pass_.save()
            contract = Contract(company=company, employee=employee,
                kind='cddi', start_date=dt.date(2025, 1, 6),
                planned_end_date=dt.date(2025, 7, 5),
                end_date=dt.date(2025, 7, 5), weekly_hours=Decimal(26))
            contract.save()
            exit = Exit(company=company, employee=employee,
                date=dt.date(2025, 7, 5), destination='cdi')
            exit.save()
        result['members'][key] = {
            'company': company.id,
            'employee': employee.id,
            'profile': profile.id,
            'pass': pass_.id,
            'contract': contract.id,
            'exit': exit.id,
            }

    result['users'] = create_users(spec, companies)
    return result


# --- Client side: the tests

@pytest.fixture(scope='module')
def live(tmp_path_factory):
    yield from serve_built(
        tmp_path_factory.mktemp('insertion_rpc'), 'insrpc', __file__, MEMBERS, USERS)


def rpc_date(year, month, day):
    "A date as Tryton's JSON-RPC encodes it"
    return {'__class__': 'date', 'year': year, 'month': month, 'day': day}


def refused(call, expected):
    with pytest.raises(RPCError) as info:
        call()
    assert info.value.kind == 'UserError', info.value.error
    assert expected in info.value.message, info.value.error


@pytest.fixture(scope='module')
def board(live):
    return connect(live, 'board')


@pytest.fixture(scope='module')
def counsellor_a(live):
    return connect(live, 'counsellor_a')


@pytest.fixture(scope='module')
def comptable(live):
    return connect(live, 'comptable')


@pytest.fixture(scope='module')
def director_a(live):
    return connect(live, 'director_a')


def test_board_reads_aggregates(live, board):
    "The board reads the indicators of both structures and the pôle"
    a, b = live['members']['a'], live['members']['b']
    context = dict(board.ctx,
        from_date=rpc_date(2025, 1, 1), to_date=rpc_date(2025, 12, 31))
    ids = search(board, 'insertion.indicator', context=context)
    rows = read(board, 'insertion.indicator', ids,
        ['company', 'people', 'women', 'men', 'rsa', 'qpv', 'exits',
            'exits_durable', 'exits_examined', 'dynamic_rate'],
        context=context)
    by_company = {r['company']: r for r in rows}
    assert set(by_company) == {a['company'], b['company'], None}
    # One person each; A's is a woman on RSA, B's a man; both QPV; both
    # left to a CDI after 181 days (examined).
    assert [by_company[a['company']][f] for f in [
            'people', 'women', 'men', 'rsa', 'qpv', 'exits',
            'exits_durable', 'exits_examined']] == [1, 1, 0, 1, 1, 1, 1, 1]
    assert [by_company[b['company']][f] for f in [
            'people', 'women', 'men', 'rsa']] == [1, 0, 1, 0]
    pole = by_company[None]
    assert [pole[f] for f in ['people', 'women', 'men', 'rsa', 'qpv']] == [
        2, 1, 1, 1, 2]
    assert pole['dynamic_rate'] == 100.0


def test_board_reads_no_person(live, board):
    "No name, no criterion for the board, by search or by read"
    a = live['members']['a']
    assert search(board, 'company.employee') == []
    refused(lambda: read(board, 'company.employee', [a['employee']],
            ['party.name']), READ_RULE_ERROR)
    for model, key, fields in [
            ('insertion.employee.profile', 'profile', PERSONAL),
            ('insertion.pass', 'pass', ['number']),
            ('insertion.contract', 'contract', ['employee']),
            ('insertion.exit', 'exit', ['employee', 'destination']),
            ]:
        refused(lambda: search(board, model), ACCESS_ERROR)
        refused(lambda: read(board, model, [a[key]], fields), ACCESS_ERROR)


def test_counsellor_reads_own_people(live, counsellor_a):
    "A's counsellor reads A's people and criteria, never B's"
    a, b = live['members']['a'], live['members']['b']
    assert search(counsellor_a, 'insertion.employee.profile') == [
        a['profile']]
    profile, = read(counsellor_a, 'insertion.employee.profile',
        [a['profile']], PERSONAL + ['employee.rec_name'])
    assert profile['employee.']['rec_name'] == MEMBERS['a']['person']
    assert profile['gender'] == 'female'
    assert profile['rsa']
    assert search(counsellor_a, 'company.employee') == [a['employee']]
    assert search(counsellor_a, 'insertion.contract') == [a['contract']]
    for model, key, fields in [
            ('insertion.employee.profile', 'profile', PERSONAL),
            ('company.employee', 'employee', ['party.name']),
            ('insertion.pass', 'pass', ['number']),
            ('insertion.contract', 'contract', ['employee']),
            ('insertion.exit', 'exit', ['destination']),
            ]:
        refused(lambda: read(counsellor_a, model, [b[key]], fields),
            READ_RULE_ERROR)
    # Asking for B in the context does not widen it
    context = dict(counsellor_a.ctx, company=b['company'],
        companies=[a['company'], b['company']])
    assert search(counsellor_a, 'insertion.employee.profile',
        context=context) == [a['profile']]


def test_accountant_reads_contracts_not_criteria(live, comptable):
    "The accountant has both structures' contracts, not the criteria"
    a, b = live['members']['a'], live['members']['b']
    for member in [b, a]:
        # What the client's company switcher does
        comptable.call('model.res.user.set_preferences', [
                {'company': member['company']}, comptable.ctx])
        comptable.load_context()
        assert search(comptable, 'insertion.contract') == [
            member['contract']]
    contract, = read(comptable, 'insertion.contract', [a['contract']],
        ['kind', 'start_date', 'end_date', 'weekly_hours'])
    assert contract['kind'] == 'cddi'
    assert contract['weekly_hours'] == Decimal(26)
    refused(lambda: search(comptable, 'insertion.employee.profile'),
        ACCESS_ERROR)
    refused(lambda: read(comptable, 'insertion.employee.profile',
            [a['profile']], ['rsa']), ACCESS_ERROR)
    refused(lambda: read(comptable, 'insertion.exit',
            [a['exit']], ['destination']), ACCESS_ERROR)


def test_director_no_criteria(live, director_a):
    "The director follows contracts and exits, not the criteria"
    a = live['members']['a']
    assert search(director_a, 'insertion.contract') == [a['contract']]
    exit, = read(director_a, 'insertion.exit', [a['exit']],
        ['category', 'examined'])
    assert exit['category'] == 'durable'
    refused(lambda: read(director_a, 'insertion.employee.profile',
            [a['profile']], ['rsa']), ACCESS_ERROR)


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'build':
        build(sys.argv[2], sys.argv[3])
    else:
        sys.exit('usage: %s build SPEC RESULT' % sys.argv[0])
