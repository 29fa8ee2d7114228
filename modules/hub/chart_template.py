# This file is part of Pôle.
"""A member's chart of accounts made, set-based, from its templates.

Account's chart wizard creates the ~1 235 records of the French chart
through the ORM, each validated against its domains: 10 to 15 seconds for
the first member of a template (the next ones copy its chart, chart.py).
The wizard's records are what the templates' ``_get_*_value`` give (the
values every module extends), with the references the wizard sets (the
parent, the account types, the taxes' accounts, ...) mapped from template
to new record: the same values are inserted here in a few INSERTs per
table, with the columns' defaults, the nested set of the accounts numbered
after the last (under the onboarding's lock of account_account), the
accounts' default taxes and the translations the ORM writes in the
database's language.  The records keep their ``template`` link: account's
update chart wizard works on them as on a chart the wizard made.
"""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .chart import (
    NotCopiable, _columns, _insert_many, _new_ids, _number_nested_set,
    _referred_first)
from .lock import lock_tables

# (model, template model), in the order the wizard creates them
TEMPLATES = [
    ('account.account.type', 'account.account.type.template'),
    ('account.account', 'account.account.template'),
    ('account.tax', 'account.tax.template'),
    ('account.tax.code', 'account.tax.code.template'),
    ('account.tax.code.line', 'account.tax.code.line.template'),
    ('account.tax.rule', 'account.tax.rule.template'),
    ('account.tax.rule.line', 'account.tax.rule.line.template'),
    ]
# {model: {field: the model of the record it refers to, made from the
# template's value of the same field}}: the references the wizard sets
REFERENCES = {
    'account.account.type': {'parent': 'account.account.type'},
    'account.account': {'parent': 'account.account',
        'type': 'account.account.type',
        'debit_type': 'account.account.type',
        'credit_type': 'account.account.type',
        'replaced_by': 'account.account'},
    'account.tax': {'parent': 'account.tax',
        'invoice_account': 'account.account',
        'credit_note_account': 'account.account'},
    'account.tax.code': {'parent': 'account.tax.code'},
    'account.tax.code.line': {'code': 'account.tax.code',
        'tax': 'account.tax'},
    'account.tax.rule': {},
    'account.tax.rule.line': {'rule': 'account.tax.rule',
        'origin_tax': 'account.tax', 'tax': 'account.tax'},
    }
# the references the wizard leaves empty when their record is not made
OPTIONAL = {'type', 'debit_type', 'credit_type'}
VALUES = {
    'account.account.type': '_get_type_value',
    'account.account': '_get_account_value',
    'account.tax': '_get_tax_value',
    'account.tax.code': '_get_tax_code_value',
    'account.tax.code.line': '_get_tax_code_line_value',
    'account.tax.rule': '_get_tax_rule_value',
    'account.tax.rule.line': '_get_tax_rule_line_value',
    }


class Entry:
    "A record to create: its template, values and referred templates"
    __slots__ = ('template', 'values', 'refs', 'taxes')

    def __init__(self, name, template):
        self.template = template
        self.values = getattr(template, VALUES[name])()
        self.refs = {}
        for fname in REFERENCES[name]:
            target = getattr(template, fname)
            self.refs[fname] = target.id if target else None
        self.taxes = [t.id for t in getattr(template, 'taxes', [])]


class Plan:
    """The records account's chart wizard would create, by model, in its
    order; {template id: entry} also maps the templates that stand for
    another's record (charts extending another, account_fr_association)"""

    def __init__(self):
        self.entries = {name: [] for name, _ in TEMPLATES}
        self.keys = {name: {} for name, _ in TEMPLATES}

    def add(self, name, template):
        "The entry made from template, unless it is mapped already"
        if template.id not in self.keys[name]:
            entry = Entry(name, template)
            self.entries[name].append(entry)
            self.keys[name][template.id] = entry

    def add_tree(self, name, roots):
        "roots and their descendants, level after level, as the wizard goes"
        level = list(roots)
        while level:
            for template in level:
                self.add(name, template)
            level = [c for t in level for c in t.childs]

    def alias(self, name, template, base):
        "template stands for base's record: base's entry, also template's"
        entry = self.keys[name][template.id] = self.keys[name][base.id]
        return entry


def _plan(account_template):
    "The plan of account_template's chart"
    pool = Pool()
    plan = Plan()
    account_template.type.hub_plan_types(plan)
    account_template.hub_plan_accounts(plan)
    chart_ids = account_template.hub_chart_ids()
    for name, template_name in TEMPLATES[2:]:
        Template = pool.get(template_name)
        for chart_id in chart_ids:
            if name in {'account.tax', 'account.tax.code'}:
                plan.add_tree(name, Template.search([
                            ('account', '=', chart_id),
                            ('parent', '=', None)]))
                continue
            owner = {'account.tax.code.line': 'code.account',
                'account.tax.rule': 'account',
                'account.tax.rule.line': 'rule.account'}[name]
            for template in Template.search([(owner, '=', chart_id)]):
                plan.add(name, template)
    return plan


class TypeTemplate(metaclass=PoolMeta):
    __name__ = 'account.account.type.template'

    def hub_plan_types(self, plan):
        "Plan the types of this root as create_type makes them"
        plan.add_tree('account.account.type', [self])


class AccountTemplate(metaclass=PoolMeta):
    __name__ = 'account.account.template'

    def hub_plan_accounts(self, plan):
        "Plan the accounts of this root as create_account makes them"
        plan.add_tree('account.account', [self])

    def hub_chart_ids(self):
        "The charts whose taxes, tax codes and rules the wizard creates"
        return [self.id]


def create_chart(company, account_template):
    """Create company's chart from account_template as account's wizard
    would; {model: {template id: new id}}.  Raise NotCopiable, having
    written nothing, when a model stores what these inserts do not make
    (a field set by a setter, a path) or a reference is to no record of
    the chart"""
    pool = Pool()
    transaction = Transaction()
    Config = pool.get('ir.configuration')
    Account = pool.get('account.account')
    lock_tables(Account._table)
    language = Config.get_language()
    with transaction.set_context(language=language, company=company.id):
        plan = _plan(account_template)
        ids = {}
        for name, _ in TEMPLATES:
            table = pool.get(name).__table__()
            entries = plan.entries[name]
            ids[name] = dict(zip(map(id, entries),
                    _new_ids(table, len(entries))))
        inserts = []
        for name, _ in TEMPLATES:
            inserts.extend(_records(
                    pool.get(name), plan, ids, company, language))
        inserts.append(_account_taxes(plan, ids))
    for table, names, rows in inserts:
        if rows:
            _insert_many(table, names, rows)
    for name, _ in TEMPLATES:
        pool.get(name)._count_cache.set(name, None)
    return {name: {t: ids[name][id(e)] for t, e in plan.keys[name].items()}
        for name, _ in TEMPLATES}


def _new_id(plan, ids, model, template_id):
    "The new id of the record of model made for template_id"
    entry = plan.keys[model].get(template_id)
    if entry is None:
        raise NotCopiable('%s,%s' % (model, template_id))
    return ids[model][id(entry)]


def _records(Model, plan, ids, company, language):
    """The inserts of Model's planned records and of the translations the
    ORM would write"""
    name = Model.__name__
    entries = plan.entries[name]
    if not entries:
        return []
    columns = _columns(Model)
    if Model._path_fields or (Model._mptt_fields - {'parent'}):
        raise NotCopiable(name)
    values = []
    for entry in entries:
        record = Model.preprocess_values('create', dict(entry.values))
        if set(record) - set(columns):
            raise NotCopiable(name)
        if 'company' in columns:
            record['company'] = company.id
        for fname, template_id in entry.refs.items():
            model = REFERENCES[name][fname]
            if template_id is None or (fname in OPTIONAL
                    and template_id not in plan.keys[model]):
                record[fname] = None
            else:
                record[fname] = _new_id(plan, ids, model, template_id)
        values.append(record)
    # what the ORM's create fills in: the defaults of the fields not given
    missing = sorted({n for n in columns if n != 'id'}
        - set().union(*values))
    defaults = Model._clean_defaults(
        Model.default_get(missing, with_rec_name=False))
    names = sorted(set(defaults) | set().union(*values))
    new_ids = [ids[name][id(e)] for e in entries]
    table = Model.__table__()
    if 'left' in columns:
        _number_nested_set(table, values, new_ids)
        names = sorted(set(names) | {'left', 'right'})
    rows = []
    for new_id, record in zip(new_ids, values):
        row = {**defaults, **record}
        rows.append([new_id, Transaction().user]
            + [columns[n].sql_format(row.get(n)) for n in names])
    # PostgreSQL checks each foreign key at once: a record referred to
    # (parent, replacement) is inserted before
    selfs = [2 + names.index(n) for n in names
        if isinstance(columns[n], fields.Many2One)
        and columns[n].model_name == name]
    inserts = [(table, ['id', 'create_uid'] + names,
            _referred_first(rows, selfs))]
    inserts.append(_translation_rows(Model, new_ids, values, language))
    return inserts


def _translation_rows(Model, new_ids, values, language):
    """The translations ModelSQL.create writes (Translation.set_ids) for the
    translatable fields given, in the database's language"""
    Translation = Pool().get('ir.translation')
    table = Translation.__table__()
    names = ['res_id', 'create_uid', 'lang', 'src', 'name', 'type',
        'value', 'fuzzy']
    rows = []
    for fname, field in sorted(Model._fields.items()):
        if not getattr(field, 'translate', False) or hasattr(field, 'set'):
            continue
        for new_id, record in zip(new_ids, values):
            value = record.get(fname)
            if fname in record and value:
                rows.append([new_id, Transaction().user, language, value,
                        '%s,%s' % (Model.__name__, fname), 'model', value,
                        False])
    return table, names, rows


def _account_taxes(plan, ids):
    "The accounts' default taxes, as account's update_account2 adds them"
    pool = Pool()
    Account = pool.get('account.account')
    field = Account._fields['taxes']
    relation = pool.get(field.relation_name).__table__()
    rows = []
    for entry in plan.entries['account.account']:
        account_id = ids['account.account'][id(entry)]
        for tax in sorted(set(entry.taxes)):
            rows.append([account_id,
                    _new_id(plan, ids, 'account.tax', tax),
                    Transaction().user])
    return relation, [field.origin, field.target, 'create_uid'], rows
