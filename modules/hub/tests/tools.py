# This file is part of Pôle.
"""Test helpers of the hub: members keep their books in euros, Tryton's test
companies are in a test currency; the scenarios onboard members by the
wizard."""
import datetime as dt
import time
from collections import defaultdict

from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.company.tests import create_company as _create_company
from trytond.modules.currency.tests import create_currency
from trytond.modules.hub.chart import CHART_MODELS
from trytond.model import fields
from trytond.pool import Pool

from proteus import Model, Wizard


def get_euro():
    "The euro, created when the database has none"
    Currency = Pool().get('currency.currency')
    euros = Currency.search([('code', '=', 'EUR')], limit=1)
    return euros[0] if euros else create_currency('EUR')


def create_company(name='Dunder Mifflin', currency=None):
    "Tryton's test company, in euros by default as a member's must be"
    return _create_company(name, currency=currency or get_euro())


class HubCompanyTestMixin(CompanyTestMixin):
    "Tryton's company tests, with hub's company fields that have no rule"

    @property
    def _skip_company_rule(self):
        # The collective is a setting of the whole pôle, and the directory
        # of members (names, SIRET: public in the SIRENE register) is shown
        # to every user of the pôle; their books are what is restricted.
        return super()._skip_company_rule | {
            ('hub.configuration', 'collective'),
            ('hub.member', 'company'),
            }


def french_chart():
    "account_fr's chart template (in a transaction)"
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    Template = pool.get('account.account.template')
    return Template(ModelData.get_id('account_fr', 'root'))


def chart_snapshot(company):
    """{model: {template id: values}} of company's chart, references to
    chart records by their template, audit columns, ids and the places in
    the nested set apart, with the records' translations"""
    pool = Pool()
    Translation = pool.get('ir.translation')
    result = {}
    templates = {}
    for name, owner in CHART_MODELS:
        Chart = pool.get(name)
        domain = ([('company', '=', company.id)] if owner is None
            else [(owner + '.company', '=', company.id)])
        records = Chart.search(domain + [('template', '!=', None)])
        templates[name] = {r.id: r.template.id for r in records}
        result[name] = records
    snapshot = {}
    for name, records in result.items():
        Chart = pool.get(name)
        values = {}
        translations = defaultdict(list)
        for t in Translation.search([
                    ('name', 'like', name + ',%'),
                    ('type', '=', 'model'),
                    ('res_id', 'in', [r.id for r in records]),
                    ]):
            translations[t.res_id].append((t.name, t.lang, t.src,
                    t.value, bool(t.fuzzy), t.module))
        for record in records:
            row = {'translations': sorted(translations[record.id])}
            for fname, field in Chart._fields.items():
                if fname in {'id', 'create_uid', 'create_date',
                        'write_uid', 'write_date', 'company', 'left',
                        'right'} or isinstance(field, (
                            fields.Function, fields.One2Many)):
                    continue
                value = getattr(record, fname)
                target = getattr(field, 'model_name', None)
                if isinstance(field, fields.Many2Many):
                    value = sorted(templates[target][v.id]
                        if target in templates else v.id
                        for v in value)
                elif value is not None and target in templates:
                    value = templates[target][value.id]
                elif hasattr(value, 'id'):
                    value = value.id
                row[fname] = value
            if name == 'account.account':
                # the size of its subtree in the nested set
                row['size'] = record.right - record.left
            values[record.template.id] = row
        snapshot[name] = values
    return snapshot


def onboard_member(name, siret, kind='aci', start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31), **kwargs):
    """Onboard a member by hub.member.onboard (in a transaction) on
    account_fr's chart, the fiscal year from start to end"""
    Member = Pool().get('hub.member')
    return Member.onboard(
        name, siret, kind, french_chart(), start, end, **kwargs)


def onboard(name, siret, kind='aci', chart=None, vat_liable=None,
        collective=False, year=2026):
    """Onboard a member by the wizard, as the accountant does (proteus):
    joined in 2020, the calendar year; chart, the name of an account
    template, and vat_liable, else the wizard's defaults"""
    Member = Model.get('hub.member')
    Template = Model.get('account.account.template')
    wizard = Wizard('hub.member.onboard')
    wizard.form.name = name
    wizard.form.siret = siret
    wizard.form.kind = kind
    if vat_liable is not None:
        wizard.form.vat_liable = vat_liable
    if chart is not None:
        wizard.form.account_template, = Template.find([('name', '=', chart)])
    wizard.form.joined = dt.date(2020, 1, 1)
    wizard.form.fiscalyear_start = dt.date(year, 1, 1)
    wizard.form.fiscalyear_end = dt.date(year, 12, 31)
    wizard.form.collective = collective
    wizard.execute('onboard')
    member, = Member.find([('siret', '=', siret)])
    return member


def run_restarted(func, user=0, lock_tables=(), attempts=None, pause=None,
        log=None):
    """func(pool) in its own committed transaction on the test database;
    its result.  Restarted as trytond does: with the locks a TransactionError
    asks for (lock_tables taken from the start spare restarts that each redo
    func) and, when pause is given, after pause(attempt) seconds when another
    transaction holds the locks or wrote the same rows, as the dispatcher
    retries RPC calls; AssertionError after attempts runs (None: no limit)"""
    from trytond import backend
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction, TransactionError
    extras = {'_lock_tables': list(lock_tables)} if lock_tables else {}
    attempt = 0
    while attempts is None or attempt < attempts:
        try:
            with Transaction().start(DB_NAME, user, **extras) as transaction:
                result = func(Pool())
                transaction.commit()
            return result
        except TransactionError as error:
            error.fix(extras)
            if log:
                log('restart: %r' % (extras,))
        except backend.DatabaseOperationalError:
            if pause is None:
                raise
            time.sleep(pause(attempt))
        attempt += 1
    raise AssertionError("could not run %s in %s attempts" % (func, attempts))
