# This file is part of Pôle.
"""A member's chart of accounts copied, set-based, from another member's.

Every member made from the same template gets the same chart, so once one
has it (made by chart_template.py), the next ones copy its records made
from templates (those with a
``template``) in a few INSERTs per table: account types, accounts (with
their default taxes), taxes, tax codes and their lines, tax rules and their
lines.  Each copy keeps its ``template`` link, so account's update chart
wizard works on it as on a chart the wizard made; the references between
copied records are remapped to the copies, the nested set of the accounts
is numbered after the last account of the table (under the onboarding's
lock of account_account, as a full rebuild would number it).

The source is the last member onboarded with the template (else the one
before, up to three): its records made
from templates are read-only in the client unless "Override Template" is
checked, so they are what the wizard made (or what update chart made of
them); a source with an overridden record, or whose template records
reference records of its own not made from templates, is not copied: the
previous one is tried, then the chart is made from the templates.
"""
from collections import defaultdict

from sql import Column, Null
from sql.aggregate import Max
from sql.functions import CurrentTimestamp

from trytond.model import fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .lock import lock_tables

# What a chart is made of, parents before children; the models without a
# company are copied with the records of the first (the "owner") they
# reference.
CHART_MODELS = [
    ('account.account.type', None),
    ('account.account', None),
    ('account.tax', None),
    ('account.tax.code', None),
    ('account.tax.code.line', 'code'),
    ('account.tax.rule', None),
    ('account.tax.rule.line', 'rule'),
    ]
_AUDIT = {'id', 'create_uid', 'create_date', 'write_uid', 'write_date'}


class NotCopiable(Exception):
    "The source chart is not only what its templates made"


def source_companies(account_template, exclude=None, limit=3):
    "The companies of the last members onboarded with account_template"
    Member = Pool().get('hub.member')
    domain = [('account_template', '=', account_template.id)]
    if exclude:
        domain.append(('company', '!=', exclude.id))
    members = Member.search(domain, order=[('id', 'DESC')], limit=limit)
    return [m.company for m in members]


def _columns(Model):
    "The stored columns of Model: {name: field}, audit columns apart"
    return {name: field for name, field in Model._fields.items()
        if name not in _AUDIT
        and not isinstance(field, (
                fields.Function, fields.One2Many, fields.Many2Many))}


def _new_ids(table, count):
    "count new ids of table, in increasing order"
    transaction = Transaction()
    if not count:
        return []
    ids = transaction.database.nextid(
        transaction.connection, table._name, count=count)
    if ids is not None:
        return sorted([ids] if count == 1 else ids)
    # SQLite: one writer at a time, ids above the greatest are free
    cursor = transaction.connection.cursor()
    cursor.execute(*table.select(Max(table.id)))
    last = cursor.fetchone()[0] or 0
    cursor.execute('SELECT seq FROM sqlite_sequence WHERE name = ?',
        (table._name,))
    row = cursor.fetchone()
    last = max(last, row[0] if row and row[0] else 0)
    return list(range(last + 1, last + 1 + count))


def copy_chart(source, company):
    """Copy to company the chart records of source made from templates;
    raise NotCopiable, having written nothing, when source's are not only
    what templates made"""
    pool = Pool()
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    Account = pool.get('account.account')
    lock_tables(Account._table)
    copied = {name for name, _ in CHART_MODELS}
    maps = {name: {} for name in copied}
    # {model: the query of the ids of source's records to copy}
    sources = {}
    plans = []

    # Read everything first: nothing is written if the source is not clean
    for name, owner in CHART_MODELS:
        Model = pool.get(name)
        table = Model.__table__()
        columns = _columns(Model)
        names = sorted(columns)
        where = table.template != Null
        if owner is None:
            where &= table.company == source.id
        else:
            where &= Column(table, owner).in_(
                sources[Model._fields[owner].model_name])
        sources[name] = table.select(table.id, where=where)
        cursor.execute(*table.select(table.id,
                *[Column(table, n) for n in names], where=where,
                order_by=table.id.asc))
        rows = cursor.fetchall()
        if 'template_override' in columns and any(
                r[1 + names.index('template_override')] for r in rows):
            raise NotCopiable(name)
        ids = _new_ids(table, len(rows))
        maps[name].update(zip((r[0] for r in rows), ids))
        plans.append((Model, table, names, rows))

    def target(field):
        if isinstance(field, fields.Many2One):
            return field.model_name

    user = transaction.user
    inserts = []
    for Model, table, names, rows in plans:
        if not rows:
            continue
        columns = _columns(Model)
        values = []
        for row in rows:
            id_, record = row[0], dict(zip(names, row[1:]))
            for fname in names:
                model = target(columns[fname])
                value = record[fname]
                if value is None:
                    continue
                if fname == 'company':
                    record[fname] = company.id
                elif model in copied:
                    if value not in maps[model]:
                        raise NotCopiable('%s,%s' % (Model.__name__, id_))
                    record[fname] = maps[model][value]
            values.append(record)
        new_ids = [maps[Model.__name__][r[0]] for r in rows]
        if Model.__name__ == 'account.account':
            _number_nested_set(table, values, new_ids)
        # PostgreSQL checks each foreign key at once: a parent (or any
        # record of the same model referred to) is inserted before
        selfs = [2 + names.index(n) for n in names
            if target(columns[n]) == Model.__name__]
        inserts.append((table, ['id', 'create_uid'] + names,
                _referred_first([[i, user] + [v[n] for n in names]
                        for i, v in zip(new_ids, values)], selfs)))
    inserts.extend(_many2many(maps, sources))
    inserts.extend(_translations(maps, sources))
    for table, names, rows in inserts:
        _insert_many(table, names, rows)
    return maps


def _referred_first(rows, columns):
    """rows (lists whose first value is the id) ordered so that each comes
    after the rows its columns refer to"""
    by_id = {r[0]: r for r in rows}
    done, ordered = set(), []
    for row in rows:
        stack, path = [row], set()
        while stack:
            current = stack[-1]
            if current[0] in done:
                stack.pop()
                continue
            path.add(current[0])
            pending = [by_id[current[c]] for c in columns
                if current[c] in by_id and current[c] not in done
                and current[c] not in path]
            if pending:
                stack.extend(pending)
            else:
                done.add(current[0])
                ordered.append(current)
                stack.pop()
    return ordered


def _insert_many(table, names, rows):
    "INSERT rows (lists of the values of names), stamped now, in one go"
    query, _ = tuple(table.insert(
            [Column(table, n) for n in names] + [table.create_date],
            [[0] * len(names) + [CurrentTimestamp()]]))
    Transaction().connection.cursor().executemany(query, rows)


def _number_nested_set(table, values, new_ids):
    """Number the new accounts (values, of new_ids, in increasing order)
    after every other, as the set-based rebuild of hub.account would:
    children by id, the new roots, of the greatest ids, last"""
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(Max(table.right)))
    last = cursor.fetchone()[0] or 0
    by_id = dict(zip(new_ids, values))
    children = defaultdict(list)
    for id_ in new_ids:
        children[by_id[id_]['parent']].append(id_)

    def number(node, left):
        right = left + 1
        for child in children.get(node, []):
            right = number(child, right)
        if node is not None:
            by_id[node]['left'], by_id[node]['right'] = left, right
        return right + 1

    left = last + 1
    for root in children.get(None, []):
        left = number(root, left)


def _many2many(maps, sources):
    """The inserts of the relations between copied records (the accounts'
    default taxes)"""
    pool = Pool()
    cursor = Transaction().connection.cursor()
    inserts = []
    for name, _ in CHART_MODELS:
        Model = pool.get(name)
        for field in Model._fields.values():
            if (not isinstance(field, fields.Many2Many)
                    or isinstance(field, fields.Function)):
                continue
            Relation = pool.get(field.relation_name)
            relation = Relation.__table__()
            origin = Column(relation, field.origin)
            target = Column(relation, field.target)
            cursor.execute(*relation.select(origin, target,
                    where=origin.in_(sources[name])))
            rows = cursor.fetchall()
            target_map = maps.get(field.get_target().__name__)
            if rows and target_map is None:
                # Records of another kind, of the source company: no copy
                raise NotCopiable('%s,%s' % (name, field.name))
            rows = [(maps[name][o], target_map[t]) for o, t in rows
                if t in target_map]
            if rows:
                inserts.append((relation, [field.origin, field.target,
                            'create_uid'],
                        [[o, t, Transaction().user] for o, t in rows]))
    return inserts


def _translations(maps, sources):
    "The inserts of the translations of the copied records' fields"
    pool = Pool()
    inserts = []
    Translation = pool.get('ir.translation')
    cursor = Transaction().connection.cursor()
    translation = Translation.__table__()
    columns = ['lang', 'src', 'name', 'type', 'value', 'module', 'fuzzy',
        'overriding_module']
    for name, record_map in maps.items():
        Model = pool.get(name)
        translated = ['%s,%s' % (name, f) for f, field in
            Model._fields.items() if getattr(field, 'translate', False)]
        if not translated or not record_map:
            continue
        cursor.execute(*translation.select(translation.res_id,
                *[Column(translation, c) for c in columns],
                where=translation.name.in_(translated)
                & translation.res_id.in_(sources[name])
                & (translation.type == 'model')))
        rows = cursor.fetchall()
        if rows:
            inserts.append((translation, ['res_id', 'create_uid'] + columns,
                    [[record_map[r[0]], Transaction().user] + list(r[1:])
                        for r in rows]))
    return inserts
