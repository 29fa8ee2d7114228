"""The combined statements seen from a real client: JSON-RPC to a live
trytond.

Two members, A and B, each with a posted sale on its bank.  A's director
gets the combined income statement with both members' columns and the
total, but reading B's move lines (as a drill-down into B's column would)
is refused by the record rules; A's insertion counsellor gets no combined
figures at all.

The database is built server-side in a subprocess (`python
tests/test_consolidation_rpc.py build IN OUT`), then a `trytond` server is
started on a free loopback port.  SQLite by default, PostgreSQL when
TRYTOND_DATABASE_URI is set.
"""
from decimal import Decimal

import pytest

from live import (
    RPCError, build_lock_tables, build_main, connect, create_users, read, search,
    serve_built)

MEMBERS = {
    'a': {
        'name': "Association Alpha du Val",
        'siret': '41234501900019',
        'amount': '1250.40',
        },
    'b': {
        'name': "Association Bêta du Val",
        'siret': '41234502700012',
        'amount': '730.15',
        },
    }
USERS = {
    'director_a': ('a', 'role_director'),
    'counsellor_a': ('a', 'insertion.role_counsellor'),
    }
READ_RULE_ERROR = 'You are not allowed to read records'


# --- Server side: run in a subprocess, never imported by pytest's process


def _populate(pool, spec):
    Member = pool.get('hub.member')
    ModelData = pool.get('ir.model.data')
    Template = pool.get('account.account.template')
    Account = pool.get('account.account')
    Journal = pool.get('account.journal')
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    Period = pool.get('account.period')
    Date = pool.get('ir.date')

    today = Date.today()
    template = Template(ModelData.get_id(
            'account_fr_association', 'root'))
    journal, = Journal.search([('type', '=', 'general')], limit=1)
    result = {'members': {}, 'users': {}, 'today': today.isoformat()}
    companies = {}
    for key, value in spec['members'].items():
        member = Member.onboard(
            value['name'], value['siret'], 'aci', template,
            today.replace(month=1, day=1), today.replace(month=12, day=31))
        company = member.company
        companies[key] = company

        def account(code):
            account, = Account.search([
                    ('company', '=', company.id), ('code', '=', code)])
            return account
        amount = Decimal(value['amount'])
        move = Move(
            company=company, journal=journal, date=today,
            period=Period.find(company, date=today),
            lines=[
                Line(account=account('5121'), debit=amount,
                    credit=Decimal(0)),
                Line(account=account('706'), debit=Decimal(0),
                    credit=amount),
                ])
        move.save()
        Move.post([move])
        result['members'][key] = {
            'company': company.id,
            'name': company.rec_name,
            'move_lines': sorted(line.id for line in move.lines),
            }
    result['users'] = create_users(spec, companies)
    return result


# --- Client side: the tests

@pytest.fixture(scope='module')
def live(tmp_path_factory):
    yield from serve_built(
        tmp_path_factory.mktemp('consolidation_rpc'), 'rpccons', __file__,
        MEMBERS, USERS)


def date(iso):
    "A date as Tryton's JSON-RPC encodes it"
    year, month, day = map(int, iso.split('-'))
    return {'__class__': 'date', 'year': year, 'month': month, 'day': day}


def income_statement(client, today):
    return client.model('account.consolidation', 'hub_statement',
        'income', date(today[:4] + '-01-01'), date(today))


def test_director_combined_figures(live):
    "A's director gets every member's column and the total"
    a, b = live['members']['a'], live['members']['b']
    director = connect(live, 'director_a')
    columns, rows = income_statement(director, live['today'])
    assert columns == [a['name'], b['name'], 'Eliminations', 'Total']
    result = rows[0]
    assert result['name'] == 'Compte de résultat'
    # 1,250.40 + 730.15 = 1,980.55 sold, nothing eliminated
    assert result['amounts'] == [
        Decimal('1250.40'), Decimal('730.15'), Decimal('0.00'),
        Decimal('1980.55')]


def test_director_lines(live):
    "A's director reads A's lines but B's are refused by the record rules"
    a, b = live['members']['a'], live['members']['b']
    director = connect(live, 'director_a')
    lines = read(director, 'account.move.line', a['move_lines'],
        ['debit', 'credit'])
    assert sum(line['debit'] for line in lines) == Decimal('1250.40')
    assert search(director, 'account.move.line',
        [('id', 'in', b['move_lines'])]) == []
    with pytest.raises(RPCError) as info:
        read(director, 'account.move.line', b['move_lines'], ['debit'])
    assert info.value.kind == 'UserError', info.value.error
    assert READ_RULE_ERROR in info.value.message, info.value.error


def test_counsellor_refused(live):
    "A counsellor is neither director nor board member: no combined figures"
    counsellor = connect(live, 'counsellor_a')
    with pytest.raises(RPCError) as info:
        income_statement(counsellor, live['today'])
    assert info.value.kind == 'UserError', info.value.error


if __name__ == '__main__':
    # insertion: the counsellor's role; with the payroll, the modules of
    # insertion_payroll's tests (one database cached for both)
    build_main(['insertion_payroll', 'hub_invoicing', 'hub_consolidation'],
        _populate, lock_tables=build_lock_tables)
