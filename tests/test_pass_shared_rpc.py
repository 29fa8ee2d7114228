"""One person, one PASS IAE across the pôle (issue 15), over JSON-RPC as
each structure's counsellor.

Three structures of one pôle: the ACI "Jardins du Val", the AI "Val
Services" and the ACI "Recyclerie", each with its counsellor.  T is the
server's today, S = T − 300 days.  Paul Girard gets his PASS IAE in the ACI
from S (730 days: to S + 729), a CDDI there from S to S + 149 (he leaves
the ACI that day) and a suspension of 10 days (S + 30 to S + 40).  The AI
hires him from S + 180 and places him from S + 180 to S + 240.  Each
structure also has a person of its own (Inès in the ACI, Alain in the AI,
Rémi in the Recyclerie) with a PASS and a contract.

- Both counsellors find the one PASS of Paul, with the same number, end and
  suspensions; the AI's records a 5-day suspension (S + 200 to S + 205)
  and both read the end moved to S + 729 + 10 + 5 = S + 744; then a
  30-day RQTH prolongation from that end, and both read S + 774.
- Each finds only its own contracts of Paul, and reading the other's
  contract is refused.
- The ACI's counsellor, which no longer employs him, changes nothing of
  the PASS nor of its suspensions.
- A second PASS for Paul, by the AI's counsellor, is refused.
- The Recyclerie's counsellor, which never employed him, sees nothing of
  it, not even by its id; and no one sees the person of another structure.

The database is built server-side in a subprocess (`python
tests/test_pass_shared_rpc.py build IN OUT`), without charts of accounts.
SQLite by default, PostgreSQL when TRYTOND_DATABASE_URI is set.
"""
import datetime as dt
from decimal import Decimal

import pytest

from live import (
    RPCError, build_main, connect, create_users, read, search, serve_built)

MEMBERS = {
    'aci': {'name': "Jardins du Val", 'kind': 'aci',
        'siret': '41234501900019', 'own': "Inès Garnier"},
    'ai': {'name': "Val Services", 'kind': 'ai',
        'siret': '41234502700012', 'own': "Alain Marchand"},
    'other': {'name': "Recyclerie", 'kind': 'aci',
        'siret': '41234503500015', 'own': "Rémi Caron"},
    }
USERS = {
    'counsellor_aci': ('aci', 'insertion.role_counsellor'),
    'counsellor_ai': ('ai', 'insertion.role_counsellor'),
    'counsellor_other': ('other', 'insertion.role_counsellor'),
    }
READ_RULE_ERROR = 'You are not allowed to read records'
WRITE_RULE_ERROR = 'You are not allowed to write to records'
DELETE_RULE_ERROR = 'You are not allowed to delete records'
CREATE_RULE_ERROR = 'You are not allowed to create records'
SUSPENSION = ['pass_', 'start_date', 'end_date', 'reason']


# --- Server side: run in a subprocess, never imported by pytest's process


def _populate(pool, spec):
    from trytond.transaction import Transaction

    Company = pool.get('company.company')
    Contract = pool.get('insertion.contract')
    Currency = pool.get('currency.currency')
    Employee = pool.get('company.employee')
    Member = pool.get('hub.member')
    Party = pool.get('party.party')
    Pass = pool.get('insertion.pass')
    Suspension = pool.get('insertion.pass.suspension')

    euro, = Currency.search([('code', '=', 'EUR')]) or [None]
    if not euro:
        euro = Currency(name="Euro", code='EUR', symbol='€')
        euro.save()
    today = pool.get('ir.date').today()
    start = today - dt.timedelta(days=300)

    def day(offset):
        return start + dt.timedelta(days=offset)

    mairie = Party(name="Mairie de Reims")
    mairie.save()
    companies, result = {}, {'members': {}, 'today': today.isoformat()}
    numbers = iter(range(1, 100))

    def hire(company, party, first, last, **values):
        "An employee of company from first, its contract to last"
        with Transaction().set_context(
                company=company.id, companies=[company.id]):
            employee = Employee(company=company, party=party,
                start_date=first)
            employee.save()
            contract = Contract(company=company, employee=employee,
                start_date=first, planned_end_date=last,
                weekly_hours=Decimal(26), **values)
            contract.save()
            return employee, contract

    def new_pass(party):
        pass_ = Pass(party=party, number='99999%07d' % next(numbers),
            start_date=start)
        pass_.save()
        return pass_

    for key, value in sorted(spec['members'].items()):
        party = Party(name=value['name'])
        party.save()
        company = Company(party=party, currency=euro)
        company.save()
        Member(company=company, kind=value['kind'], siret=value['siret'],
            joined=dt.date(2020, 1, 1)).save()
        companies[key] = company
        own = Party(name=value['own'])
        own.save()
        own_pass = new_pass(own)
        kind = {'ai': 'ai_placement'}.get(value['kind'], 'cddi')
        _, own_contract = hire(company, own, start, day(240), kind=kind,
            user_party=mairie if kind == 'ai_placement' else None)
        result['members'][key] = {'company': company.id, 'own': {
                'party': own.id, 'pass': own_pass.id,
                'contract': own_contract.id}}

    paul = Party(name="Paul Girard")
    paul.save()
    paul_pass = new_pass(paul)
    # The ACI: his CDDI, his suspension, then he leaves
    in_aci, aci_contract = hire(companies['aci'], paul, start, day(149),
        kind='cddi', end_date=day(149))
    with Transaction().set_context(company=companies['aci'].id):
        suspension = Suspension(pass_=paul_pass, reason='contract_suspended',
            start_date=day(30), end_date=day(40))
        suspension.save()
    in_aci.end_date = day(149)
    in_aci.save()
    # The AI: hired from S + 180, placed with the Mairie
    _, ai_contract = hire(companies['ai'], paul, day(180), day(240),
        kind='ai_placement', user_party=mairie)
    result['paul'] = {
        'party': paul.id, 'pass': paul_pass.id,
        'number': paul_pass.number,
        'suspension': suspension.id,
        'contracts': {'aci': aci_contract.id, 'ai': ai_contract.id},
        }
    result['users'] = create_users(spec, companies)
    return result


# --- Client side: the tests

@pytest.fixture(scope='module')
def live(tmp_path_factory):
    yield from serve_built(
        tmp_path_factory.mktemp('pass_shared_rpc'), 'passrpc', __file__,
        MEMBERS, USERS)


@pytest.fixture(scope='module')
def clients(live):
    return {key: connect(live, 'counsellor_' + key)
        for key in ['aci', 'ai', 'other']}


def start_day(live, offset=0):
    "S + offset days (S = the server's today − 300 days)"
    today = dt.date.fromisoformat(live['today'])
    return today - dt.timedelta(days=300) + dt.timedelta(days=offset)


def refused(call, expected):
    with pytest.raises(RPCError) as info:
        call()
    assert info.value.kind == 'UserError', info.value.error
    assert expected in info.value.message, info.value.error


def test_shared_pass(live, clients):
    """Both structures that employed Paul read his one PASS and its
    suspension; the AI, which employs him now, records a second one and a
    prolongation, and both read the new end; the ACI, which he left,
    changes nothing"""
    paul = live['paul']
    for key in ['aci', 'ai']:
        client = clients[key]
        found = search(client, 'insertion.pass')
        # his and the structure's own person's, nothing of the others'
        assert sorted(found) == sorted(
            [paul['pass'], live['members'][key]['own']['pass']]), key
        pass_, = read(client, 'insertion.pass', [paul['pass']],
            ['number', 'party', 'start_date', 'end_date'])
        assert (pass_['number'], pass_['party'], pass_['start_date'],
            pass_['end_date']) == (paul['number'], paul['party'],
            start_day(live), start_day(live, 729 + 10)), key
        assert search(client, 'insertion.pass.suspension',
            [('pass_', '=', paul['pass'])]) == [paul['suspension']], key

    # The AI employs him now: its counsellor records a suspension
    ai = clients['ai']
    new, = ai.model('insertion.pass.suspension', 'create', [{
                'pass_': paul['pass'], 'reason': 'contract_suspended',
                'start_date': start_day(live, 200),
                'end_date': start_day(live, 205)}])
    for key in ['aci', 'ai']:
        client = clients[key]
        suspensions = read(client, 'insertion.pass.suspension',
            search(client, 'insertion.pass.suspension',
                [('pass_', '=', paul['pass'])]), SUSPENSION)
        assert sorted((s['id'], s['start_date'], s['end_date'])
            for s in suspensions) == [
            (paul['suspension'], start_day(live, 30), start_day(live, 40)),
            (new, start_day(live, 200), start_day(live, 205))], key
        pass_, = read(client, 'insertion.pass', [paul['pass']],
            ['end_date'])
        # S + 729 + 10 + 5
        assert pass_['end_date'] == start_day(live, 744), key

    # and a prolongation for RQTH from the end, 30 days: S + 774 for both
    prolongation, = ai.model('insertion.pass.prolongation', 'create', [{
                'pass_': paul['pass'], 'reason': 'rqth',
                'start_date': start_day(live, 744),
                'end_date': start_day(live, 774)}])
    for key in ['aci', 'ai']:
        client = clients[key]
        assert search(client, 'insertion.pass.prolongation',
            [('pass_', '=', paul['pass'])]) == [prolongation], key
        pass_, = read(client, 'insertion.pass', [paul['pass']],
            ['end_date'])
        assert pass_['end_date'] == start_day(live, 774), key

    # The ACI no longer employs him: nothing of his PASS changes
    aci = clients['aci']
    for call, expected in [
            (lambda: aci.model('insertion.pass', 'write', [paul['pass']],
                    {'start_date': start_day(live, 1)}), WRITE_RULE_ERROR),
            (lambda: aci.model('insertion.pass', 'delete', [paul['pass']]),
                DELETE_RULE_ERROR),
            (lambda: aci.model('insertion.pass.suspension', 'write', [new],
                    {'end_date': start_day(live, 206)}), WRITE_RULE_ERROR),
            (lambda: aci.model('insertion.pass.suspension', 'delete',
                    [paul['suspension']]), DELETE_RULE_ERROR),
            (lambda: aci.model('insertion.pass.prolongation', 'write',
                    [prolongation], {'end_date': start_day(live, 770)}),
                WRITE_RULE_ERROR),
            (lambda: aci.model('insertion.pass.suspension', 'create', [{
                        'pass_': paul['pass'],
                        'reason': 'contract_suspended',
                        'start_date': start_day(live, 250),
                        'end_date': start_day(live, 255)}]),
                CREATE_RULE_ERROR),
            ]:
        refused(call, expected)
    pass_, = read(ai, 'insertion.pass', [paul['pass']],
        ['start_date', 'end_date', 'suspensions', 'prolongations'])
    assert (pass_['start_date'], pass_['end_date'],
        sorted(pass_['suspensions']), pass_['prolongations']) == (
        start_day(live), start_day(live, 774),
        sorted([paul['suspension'], new]), [prolongation])


def test_own_contracts_only(live, clients):
    """Each counsellor finds only its structure's contract of Paul, and
    reading the other's is refused"""
    paul = live['paul']
    contracts = paul['contracts']
    for key, other in [('aci', 'ai'), ('ai', 'aci')]:
        client = clients[key]
        found = search(client, 'insertion.contract',
            [('employee.party', '=', paul['party'])])
        assert found == [contracts[key]], key
        contract, = read(client, 'insertion.contract', found,
            ['company', 'kind', 'start_date'])
        assert (contract['company'], contract['kind'],
            contract['start_date']) == (live['members'][key]['company'],
            {'aci': 'cddi', 'ai': 'ai_placement'}[key],
            start_day(live, 0 if key == 'aci' else 180)), key
        refused(lambda: read(client, 'insertion.contract',
                [contracts[other]], ['start_date']), READ_RULE_ERROR)
        # and nothing of the other structure's own person
        refused(lambda: read(client, 'insertion.pass',
                [live['members'][other]['own']['pass']], ['number']),
            READ_RULE_ERROR)


def test_second_pass_refused(live, clients):
    "The AI cannot give Paul a second PASS: he has one, valid, in the pôle"
    paul = live['paul']
    ai = clients['ai']
    refused(lambda: ai.model('insertion.pass', 'create', [{
                    'party': paul['party'], 'number': '999990000098',
                    'start_date': start_day(live, 180)}]),
        'already has the PASS IAE')
    assert search(ai, 'insertion.pass',
        [('party', '=', paul['party'])]) == [paul['pass']]


def test_never_employed_sees_nothing(live, clients):
    """The Recyclerie never employed Paul: neither his PASS, nor its
    suspensions, nor his contracts, not even by their ids"""
    paul = live['paul']
    other = clients['other']
    assert search(other, 'insertion.pass') == [
        live['members']['other']['own']['pass']]
    assert other.model('insertion.pass', 'search_count',
        [('party', '=', paul['party'])]) == 0
    assert search(other, 'insertion.pass.suspension') == []
    assert search(other, 'insertion.contract',
        [('employee.party', '=', paul['party'])]) == []
    for model, ids, fields in [
            ('insertion.pass', [paul['pass']], ['number']),
            ('insertion.pass.suspension', [paul['suspension']],
                ['start_date']),
            ('insertion.contract', list(paul['contracts'].values()),
                ['start_date']),
            ]:
        refused(lambda: read(other, model, ids, fields), READ_RULE_ERROR)
    refused(lambda: other.model('insertion.pass', 'write', [paul['pass']],
            {'start_date': start_day(live, 1)}), WRITE_RULE_ERROR)


if __name__ == '__main__':
    build_main('insertion', _populate)
