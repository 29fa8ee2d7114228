# This file is part of Pôle.
"""Access checks that stock Tryton leaves to each model, made for all.

Registered as mixins (tryton.cfg ``[register_mixin]``) on every model,
wizard and report of the database:

- ``export_data`` re-checks the record rules of every record it reaches in
  SQL (``ir.rule.check``), and ``create`` refuses a Many2One value the user
  may not read before the row is inserted (otherwise a unique constraint
  answers first and tells that another member's record exists).  Stock export evaluates the rule domain in Python,
  where a leaf through a relation (``('move.company', 'in', ...)``, or a rule
  inherited with ``__access__``) is true as soon as the relation is set: a
  director exported other members' move lines.
- A wizard refuses form values (Many2One, Many2Many, One2Many ids,
  Reference) that the user may not read: stock wizards run their
  transitions without access checks, so another member's fiscal year in the
  FEC wizard gave away its books.
- A wizard or a report refuses a context ``company`` that is not one of the
  user's companies: stock wizards create their records in that company.
"""
from trytond.i18n import gettext
from trytond.model import ModelSQL
from trytond.model.modelstorage import _record_eval_pyson
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import (
    Transaction, check_access, without_check_access)

_RELATIONAL = {'many2one', 'one2one', 'one2many', 'many2many', 'reference'}


def check_context_company():
    "Refuse a context company that is not one of the user's"
    transaction = Transaction()
    company = transaction.context.get('company')
    if (transaction.user == 0 or not isinstance(company, int)
            or company < 0):
        return
    pool = Pool()
    User = pool.get('res.user')
    Company = pool.get('company.company')
    with without_check_access():
        if company in {c.id for c in User(transaction.user).companies}:
            return
        companies = Company.search([('id', '=', company)])
        name = companies[0].rec_name if companies else str(company)
    raise AccessError(gettext('hub.msg_context_company', company=name))


def check_read(model_name, ids):
    "Raise AccessError unless the user may read every record of ids"
    pool = Pool()
    Model = pool.get(model_name)
    ids = sorted({int(i) for i in ids if i is not None and int(i) >= 0})
    if not ids or not issubclass(Model, ModelSQL):
        return
    Rule = pool.get('ir.rule')
    with check_access():
        Rule.check(model_name, ids, 'read')


def _ids_by_model(field, values):
    """{model name: ids} of the records a relational field's values name:
    ids, records, {'id': ...} values, x2many commands ('add', ids)..."""
    result = {}
    if field._type == 'reference':
        for value in values:
            if isinstance(value, (list, tuple)) and len(value) == 2:
                value = '%s,%s' % tuple(value)
            if isinstance(value, str) and ',' in value:
                model, id_ = value.split(',', 1)
                if model and id_.lstrip('-').isdigit():
                    result.setdefault(model, []).append(int(id_))
            elif hasattr(value, '__name__') and hasattr(value, 'id'):
                result.setdefault(value.__name__, []).append(value.id)
        return result
    ids = []
    for value in values:
        if isinstance(value, bool):
            continue
        elif isinstance(value, int):
            ids.append(value)
        elif isinstance(value, dict) and isinstance(value.get('id'), int):
            ids.append(value['id'])
        elif (isinstance(value, (list, tuple)) and value
                and isinstance(value[0], str)):
            # An x2many command: ('add', [ids]), ('write', [ids], {...})
            for item in value[1:2]:
                if isinstance(item, (list, tuple)):
                    ids.extend(i for i in item if isinstance(i, int))
        elif hasattr(value, 'id') and isinstance(value.id, int):
            ids.append(value.id)
    if ids:
        result[field.get_target().__name__] = ids
    return result


class StorageAccessMixin:
    "export_data and create check the record rules in SQL"
    __slots__ = ()

    @classmethod
    def create(cls, vlist):
        if Transaction().check_access and Transaction().user:
            targets = {}
            for values in vlist:
                for name, value in values.items():
                    field = cls._fields.get(name)
                    if (field is not None and field._type == 'many2one'
                            and isinstance(value, int)):
                        targets.setdefault(
                            field.get_target().__name__, []).append(value)
            for model, ids in targets.items():
                check_read(model, ids)
        return super().create(vlist)

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        if Transaction().check_access and Transaction().user:
            cls._hub_check_export(
                records, [f.split('/') for f in fields_names])
        return super().export_data(records, fields_names, header=header)

    @classmethod
    def _hub_check_export(cls, records, paths):
        check_read(cls.__name__, [r.id for r in records])
        children = {}
        for path in paths:
            if not path or not path[0]:
                continue
            name = path[0].split('.', 1)[0].split(':lang=', 1)[0]
            field = cls._fields.get(name)
            if field is None or field._type not in _RELATIONAL:
                continue
            # A relational leaf exports the target's name: check it too.
            children.setdefault(name, []).append(path[1:] or ['rec_name'])
        pool = Pool()
        for name, sub_paths in children.items():
            field = cls._fields[name]
            values = []
            for record in records:
                value = getattr(record, name)
                if isinstance(value, (list, tuple)):
                    values.extend(value)
                elif value is not None:
                    values.append(value)
            for model, ids in _ids_by_model(field, values).items():
                Target = pool.get(model)
                targets = Target.browse(sorted(set(ids)))
                if hasattr(Target, '_hub_check_export'):
                    Target._hub_check_export(targets, sub_paths)


class WizardAccessMixin:
    "A wizard's context company and form values must be the user's"
    __slots__ = ()

    @classmethod
    def create(cls):
        check_context_company()
        return super().create()

    @classmethod
    def execute(cls, session_id, data, state_name):
        check_context_company()
        if Transaction().user:
            cls._hub_check_form(data)
        return super().execute(session_id, data, state_name)

    @classmethod
    def _hub_check_form(cls, data):
        pool = Pool()
        for state_name, values in (data or {}).items():
            state = cls.states.get(state_name)
            model_name = getattr(state, 'model_name', None)
            if not model_name or not isinstance(values, dict):
                continue
            View = pool.get(model_name)
            for name, value in values.items():
                field = View._fields.get(name)
                if field is None or field._type not in _RELATIONAL:
                    continue
                value = value if isinstance(value, (list, tuple)) else [value]
                # read as the form's field reads: in the member's books it
                # points into (hub_company, res.user get_companies)
                with Transaction().set_context(
                        _hub_field_context(View, field, values)):
                    for model, ids in _ids_by_model(field, value).items():
                        check_read(model, ids)


def _hub_field_context(View, field, values):
    "The hub_company of field's context, evaluated on the form's values"
    if 'hub_company' not in (field.context or {}):
        return {}
    try:
        record = View(**{k: v for k, v in values.items()
                if k in View._fields and not isinstance(v, (list, dict))})
        context = _record_eval_pyson(record, field.context)
    except Exception:
        return {}
    return {'hub_company': context.get('hub_company')}


class ReportAccessMixin:
    "A report's context company must be one of the user's"
    __slots__ = ()

    @classmethod
    def execute(cls, ids, data):
        check_context_company()
        return super().execute(ids, data)
