# This file is part of Pôle.
"""Bank statements left: operations of the bank not matched yet (a
statement origin with an amount pending) and lines of statements not
posted yet."""
from sql import Null
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Coalesce

from trytond.pool import Pool, PoolMeta

OPEN_STATES = ['draft', 'validated']


class Todo(metaclass=PoolMeta):
    __name__ = 'hub.todo'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection += [
            ('statement_origin', "Bank operations not reconciled"),
            ('statement_line', "Statement lines not posted"),
            ]

    @classmethod
    def _kinds(cls):
        pool = Pool()
        Statement = pool.get('account.statement')
        Origin = pool.get('account.statement.origin')
        Line = pool.get('account.statement.line')
        kinds = super()._kinds()
        statement, origin = Statement.__table__(), Origin.__table__()
        line, matched = Line.__table__(), Line.__table__()
        # What the lines made from each origin already account for
        lines = matched.select(
            matched.origin.as_('origin'),
            Sum(matched.amount).as_('amount'),
            where=matched.origin != Null,
            group_by=[matched.origin])
        pending = origin.amount - Coalesce(lines.amount, 0)
        kinds['statement_origin'] = (origin
            .join(statement, condition=origin.statement == statement.id)
            .join(lines, 'LEFT', condition=lines.origin == origin.id)
            .select(
                statement.company.as_('company'),
                Count(origin.id).as_('count'),
                Sum(pending).as_('amount'),
                Min(origin.date).as_('date'),
                where=statement.state.in_(OPEN_STATES) & (pending != 0),
                group_by=[statement.company]))
        kinds['statement_line'] = (line
            .join(statement, condition=line.statement == statement.id)
            .select(
                statement.company.as_('company'),
                Count(line.id).as_('count'),
                Sum(line.amount).as_('amount'),
                Min(line.date).as_('date'),
                where=statement.state.in_(OPEN_STATES),
                group_by=[statement.company]))
        return kinds

    def _open_action(self):
        company = self.company.id
        if self.kind == 'statement_origin':
            return 'account_statement.act_statement_form', [
                ('company', '=', company), ('state', 'in', OPEN_STATES),
                ('origins.pending_amount', '!=', 0)]
        elif self.kind == 'statement_line':
            return 'account_statement.act_statement_form', [
                ('company', '=', company), ('state', 'in', OPEN_STATES),
                ('lines', '!=', None)]
        return super()._open_action()
