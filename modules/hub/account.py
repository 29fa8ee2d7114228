# This file is part of Pôle.
from collections import defaultdict

from sql import Column

from trytond.pool import PoolMeta
from trytond.transaction import Transaction

from .lock import lock_tables


class Account(metaclass=PoolMeta):
    __name__ = 'account.account'

    @classmethod
    def first_open_account(cls, company, code):
        """The first open account of company with code or under it (741
        under 74 in the association chart), else None"""
        accounts = cls.search([
                ('company', '=', company.id),
                ['OR', ('code', '=', code), ('code', 'like', code + '_%')],
                ('type', '!=', None),
                ('closed', '!=', True),
                ], order=[('code', 'ASC')], limit=1)
        return accounts[0] if accounts else None

    @classmethod
    def open_account(cls, company, code):
        """The first open account of company with code or under it, else a
        new sub-account code + '0' of the closed account code (as French
        charts close 421 or 74 to be detailed), for builders of data"""
        if account := cls.first_open_account(company, code):
            return account
        parent, = cls.search([
                ('company', '=', company.id), ('code', '=', code)])
        account = cls(company=company, parent=parent, code=code + '0',
            name=parent.name, type=parent.type)
        account.save()
        return account

    @classmethod
    def _update_mptt(cls, field_names, list_ids, values=None):
        """Renumber the nested set with the set-based rebuild below.

        Tryton places few new accounts one by one, each with an UPDATE that
        shifts every account of every company to its right: a new chart,
        created level by level, cost thousands of such updates, the long
        part of onboarding on PostgreSQL.  One read of (id, parent, left,
        right) and the writes of the changed rows cost less, always.
        """
        for field_name, ids in zip(field_names, list_ids):
            field = cls._fields[field_name]
            if (not ids or (values is not None
                        and (field.left in values or field.right in values))):
                super()._update_mptt([field_name], [ids], values)
            else:
                cls._rebuild_tree(field_name, None, 0)

    @classmethod
    def _rebuild_tree(cls, parent, parent_id, left):
        """Rebuild the whole nested set in one read and only the writes needed

        Tryton rebuilds it with two queries per account of every company,
        once per level of a new chart: onboarding the n-th member cost
        O(n × 1000) queries.  Here: one SELECT, then the changed rows only
        (those of the new chart), in one executemany.
        """
        if parent_id is not None or left != 0:
            return super()._rebuild_tree(parent, parent_id, left)
        field = cls._fields[parent]
        table = cls.__table__()
        left_c, right_c = Column(table, field.left), Column(table, field.right)
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(
                table.id, Column(table, parent), left_c, right_c,
                order_by=table.id.asc))
        children, current = defaultdict(list), {}
        for id_, parent_, left_, right_ in cursor:
            children[parent_].append(id_)
            current[id_] = (left_, right_)

        values = {}

        def number(node, left):
            right = left + 1
            for child in children.get(node, []):
                right = number(child, right)
            if node is not None:
                values[node] = (left, right)
            return right + 1

        end = number(None, left)
        changed = [(l, r, id_) for id_, (l, r) in values.items()
            if current[id_] != (l, r)]
        if changed:
            # Two transactions numbering their new accounts from the same
            # snapshot would give them the same places.
            lock_tables(cls._table)
            query, _ = tuple(table.update(
                    [left_c, right_c], [0, 0], where=table.id == 0))
            cursor.executemany(query, changed)
        return end
