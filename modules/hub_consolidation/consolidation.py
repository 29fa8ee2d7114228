# This file is part of Pôle.
"""The pôle's consolidation tree and the combined amounts.

The tree is the association layout (ANC 2018-06: account_fr's PCG types with
the association types of account_fr_association), one line per type template
(``hub_template``).  Every member's type made from a template is linked to
its line, whatever the member's chart: the association chart and the plain
PCG share the PCG templates, the association ones only add lines.

Each move line is counted once, on the line of the type its account is on
(or of its nearest ancestor type that is linked), then summed up the tree as
Tryton sums its own types.  Stock account_consolidation adds the amount of
each linked type, children included, so a type and its children both linked
count twice.
"""
from collections import defaultdict
from decimal import Decimal

from sql import Literal, Null, Union, With
from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce
from sql.operators import Like

from trytond import backend
from trytond.model import fields, sum_tree
from trytond.pool import Pool, PoolMeta
from trytond.rpc import RPC
from trytond.tools import sqlite_apply_types
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import StateTransition, Wizard

ELIMINATIONS = 'eliminations'
TOTAL = 'total'


def eliminated(line, move, type_, company_ids, party_ids):
    """The condition on a move line (joined to its move and its account's
    type) that it is an inter-member flow between company_ids, eliminated
    in the combined statements:

    - a line of a move flagged with another of the companies
      (consolidation_company: inter-member invoices, credit notes and
      their mirrors, clearings), except the VAT: the VAT owed to the State
      (a tax line) and the VAT a member that is not VAT-liable bears as a
      cost (hub_invoicing's hub_vat_as_cost) are the pôle's, never
      eliminated (``Consolidation.hub_kept``);
    - any receivable or payable line on another company's party, however
      it was made (stock Pay on each side, partial payments, statement
      lines, reconciliations): what settles an inter-member debt.
    """
    Consolidation = Pool().get('account.consolidation')
    flagged = (move.consolidation_company.in_(company_ids)
        & ~Consolidation.hub_kept(line))
    if not party_ids:
        return flagged
    return flagged | (
        (type_.receivable | type_.payable) & line.party.in_(party_ids))


def not_closing(move):
    """The condition that a move is no year-end closing: Tryton's balance
    non-deferral (hub_bookkeeping's closing) gives the fiscal year as
    origin to the move that moves the result of classes 6 and 7 to
    120/129.  Counted, it would zero the year's income statement."""
    return ~Like(Coalesce(move.origin, ''), 'account.fiscalyear,%')


def member_parties(company_ids):
    "The parties of the companies"
    Company = Pool().get('company.company')
    return [c.party.id for c in Company.browse(company_ids)]


def template_key(template):
    "The template of the layout a type template stands for"
    return template.base_template.id if template.base_template else template.id


class Consolidation(metaclass=PoolMeta):
    __name__ = 'account.consolidation'

    hub_template = fields.Many2One(
        'account.account.type.template', "Type Template", readonly=True,
        ondelete='RESTRICT',
        help="The type template of the pôle's layout this line stands for: "
        "the type made from it in every member's chart is linked here.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__rpc__.update({
                'hub_statement': RPC(readonly=True),
                'hub_dashboard': RPC(readonly=True),
                })

    @classmethod
    def hub_kept(cls, line):
        """The condition that a line of a move flagged as inter-member is
        not eliminated: the VAT owed to the State (a tax line).  hub_invoicing
        adds the VAT a member not VAT-liable bears as a cost."""
        tax_line = Pool().get('account.tax.line').__table__()
        return line.id.in_(tax_line.select(
                tax_line.move_line, where=tax_line.type == 'tax'))

    @classmethod
    def hub_statement(cls, statement, from_date, to_date, from_date_cmp=None,
            to_date_cmp=None):
        "The combined statement: (columns, rows) as the report prints them"
        from .statement import combined_statement
        return combined_statement(
            statement, from_date, to_date, from_date_cmp, to_date_cmp)

    @classmethod
    def hub_dashboard(cls, date=None):
        "The values of the directors' dashboard"
        return Pool().get('hub.consolidation.dashboard').compute(date)

    # The tree ------------------------------------------------------------
    @classmethod
    def hub_layout(cls):
        """The association layout: {key template id: (template giving name,
        statement and sequence, parent key)}"""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        TypeTemplate = pool.get('account.account.type.template')
        root = TypeTemplate(ModelData.get_id(
                'account_fr_association', 'type_root'))
        layout = {}
        for template in TypeTemplate.search(
                [('parent', 'child_of', [root.base_template.id])]):
            layout[template.id] = (
                template, template.parent.id if template.parent else None)
        for template in TypeTemplate.search(
                [('parent', 'child_of', [root.id])]):
            parent = template_key(template.parent) if template.parent else None
            if template.base_template:
                if template.base_override:
                    # An override takes the association's name and place
                    layout[template_key(template)] = (template, parent)
            else:
                layout[template.id] = (template, parent)
        return layout

    @classmethod
    def hub_update_tree(cls):
        """Create the lines of the layout that are missing; return them by
        key template id.  Lines already there are left as they are."""
        layout = cls.hub_layout()
        nodes = {n.hub_template.id: n for n in cls.search(
                [('hub_template', '!=', None)])}
        # Create level by level so that each parent exists before its children
        todo = [k for k in layout if k not in nodes]
        while todo:
            level = [k for k in todo
                if layout[k][1] is None or layout[k][1] in nodes
                or layout[k][1] not in layout]
            if not level:
                break
            created = cls.create([{
                        'name': layout[k][0].name,
                        'sequence': layout[k][0].sequence,
                        'statement': (
                            layout[k][0].statement if layout[k][1] else None),
                        'assets': bool(layout[k][0].assets),
                        'parent': (
                            nodes[layout[k][1]].id
                            if layout[k][1] in nodes else None),
                        'hub_template': k,
                        } for k in level])
            nodes.update(zip(level, created))
            todo = [k for k in todo if k not in nodes]
        return nodes

    @classmethod
    def hub_map_companies(cls, companies):
        "Link the types of companies to the lines of their templates"
        pool = Pool()
        Type = pool.get('account.account.type')
        nodes = cls.hub_update_tree()
        to_write = defaultdict(list)
        types = Type.search([
                ('company', 'in', [c.id for c in companies]),
                ('template', '!=', None),
                ])
        for type_ in types:
            node = nodes.get(template_key(type_.template))
            if (node is None or type_.consolidation == node
                    or not node.statement
                    or type_.statement != node.statement
                    or (node.statement == 'balance'
                        and bool(type_.assets) != bool(node.assets))):
                continue
            to_write[node.id].append(type_)
        args = []
        for node_id, types in to_write.items():
            args.extend([types, {'consolidation': node_id}])
        if args:
            Type.write(*args)

    @classmethod
    def hub_roots(cls, statement):
        """The lines heading statement in the pôle's tree: Actif and Passif
        for the balance sheet, the result and the contributions en nature
        for the income statement"""
        nodes = cls.search([
                ('hub_template', '!=', None),
                ('statement', '=', statement),
                ], order=[('sequence', 'ASC'), ('id', 'ASC')])
        return [n for n in nodes
            if not n.parent or n.parent.statement != statement]

    # The amounts ---------------------------------------------------------
    @classmethod
    def hub_balances(cls, company_ids, spans, posted=True, closing=True):
        """Run the one query of a statement.

        spans: [(from_date or None, to_date or None)].  Return rows of
        (span index, type id, company id, balance, eliminated part) where
        balance is debit - credit of the company's lines over the span on
        the type, and the eliminated part is that of its lines of
        inter-member flows between company_ids (``eliminated``).  An account goes on
        its debit or credit type by its balance, as Tryton does.
        closing: whether the year-end closing moves count (``not_closing``):
        in the balance sheet, not in the income statement.
        """
        if not company_ids:
            # No member (yet): PostgreSQL refuses an empty IN ()
            return []
        pool = Pool()
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Account = pool.get('account.account')
        AccountType = pool.get('account.account.type')
        line = Line.__table__()
        move = Move.__table__()
        account = Account.__table__()
        line_account = Account.__table__()
        type_ = AccountType.__table__()

        amount = Coalesce(line.debit, 0) - Coalesce(line.credit, 0)
        is_eliminated = eliminated(line, move, type_, company_ids,
            member_parties(company_ids))
        columns, any_span = [], None
        for i, (start, end) in enumerate(spans):
            cond = Literal(True)
            if end:
                cond &= move.date <= end
            if start:
                cond &= move.date >= start
            columns.append(Sum(Case((cond, amount), else_=0)).as_('b%s' % i))
            columns.append(Sum(Case(
                        (cond & is_eliminated, amount), else_=0)).as_(
                    'e%s' % i))
            any_span = cond if any_span is None else (any_span | cond)
        where = move.company.in_(company_ids) & any_span
        if posted:
            where &= move.state == 'posted'
        if not closing:
            where &= not_closing(move)
        per_account = With('account', 'company',
            *['%s%s' % (c, i) for i in range(len(spans)) for c in 'be'],
            query=line.join(move, condition=line.move == move.id)
            .join(line_account, condition=line.account == line_account.id)
            .join(type_, 'LEFT', condition=line_account.type == type_.id)
            .select(
                line.account, move.company, *columns,
                where=where,
                group_by=[line.account, move.company]))
        selects = []
        for i in range(len(spans)):
            balance = getattr(per_account, 'b%s' % i)
            type_ = Case(
                ((account.debit_type != Null) & (balance > 0),
                    account.debit_type),
                ((account.credit_type != Null) & (balance < 0),
                    account.credit_type),
                else_=account.type)
            # The type is chosen per account, then summed: PostgreSQL wants
            # the GROUP BY on a column, not on the CASE (its parameters)
            typed = per_account.join(
                account, condition=per_account.account == account.id).select(
                type_.as_('type'), per_account.company.as_('company'),
                balance.as_('balance'),
                getattr(per_account, 'e%s' % i).as_('eliminated'))
            select = typed.select(
                Literal(i).as_('span'), typed.type.as_('type'),
                typed.company.as_('company'),
                Sum(typed.balance).as_('balance'),
                Sum(typed.eliminated).as_('eliminated'),
                where=typed.type != Null,
                group_by=[typed.type, typed.company])
            if backend.name == 'sqlite':
                sqlite_apply_types(
                    select, [None, None, None, 'NUMERIC', 'NUMERIC'])
            selects.append(select)
        query = selects[0] if len(selects) == 1 else Union(
            *selects, all_=True)
        query.with_ = [per_account]
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        return [(s, t, c, Decimal(str(b or 0)), Decimal(str(e or 0)))
            for s, t, c, b, e in cursor]

    @classmethod
    def hub_type_nodes(cls, company_ids):
        """The line each type of company_ids counts on: its own, or its
        nearest ancestor's"""
        if not company_ids:
            return {}
        Type = Pool().get('account.account.type')
        table = Type.__table__()
        cursor = Transaction().connection.cursor()
        parents, links = {}, {}
        cursor.execute(*table.select(
                table.id, table.parent, table.consolidation,
                where=table.company.in_(list(company_ids))))
        for id_, parent, consolidation in cursor:
            parents[id_] = parent
            links[id_] = consolidation
        result = {}

        def node(id_):
            if id_ not in result:
                if links.get(id_) or not parents.get(id_):
                    result[id_] = links.get(id_)
                else:
                    result[id_] = node(parents[id_])
            return result[id_]
        for id_ in parents:
            node(id_)
        return result

    @classmethod
    def hub_combined(cls, company_ids, spans, posted=True, closing=True):
        """The combined amounts, one dict per span: {column: {line id:
        amount}} with a column per company id, ELIMINATIONS and TOTAL.
        Amounts are Tryton's: credit - debit, debit - credit on assets.
        closing: as hub_balances."""
        rows = cls.hub_balances(
            company_ids, spans, posted=posted, closing=closing)
        type2node = cls.hub_type_nodes(company_ids)
        columns = list(company_ids) + [ELIMINATIONS, TOTAL]
        values = [{c: defaultdict(Decimal) for c in columns} for _ in spans]
        for span, type_, company, balance, eliminated in rows:
            node = type2node.get(type_)
            if node is None:
                continue
            span_values = values[span]
            span_values[company][node] += balance
            span_values[ELIMINATIONS][node] -= eliminated
            span_values[TOTAL][node] += balance - eliminated
        nodes = cls.search([])
        signs = {n.id: (1 if n.statement == 'balance' and n.assets else -1)
            for n in nodes}
        result = []
        for span_values in values:
            span_result = {}
            for column, column_values in span_values.items():
                summed = sum_tree(nodes, column_values)
                span_result[column] = {
                    # + 0: no -0.00
                    n: (summed.get(n, Decimal(0)) * s).quantize(
                        Decimal('0.01')) + 0
                    for n, s in signs.items()}
            result.append(span_result)
        return result

    @classmethod
    def get_amount(cls, consolidations, name):
        "The combined total of the context's companies, each amount once"
        pool = Pool()
        User = pool.get('res.user')
        Date = pool.get('ir.date')
        transaction = Transaction()
        context = transaction.context
        user = User(transaction.user)
        company_ids = sorted(set(context.get('companies') or []).intersection(
                map(int, user.companies)))
        if not company_ids:
            return {c.id: Decimal(0) for c in consolidations}
        if 'from_date' in context or 'to_date' in context:
            span = (context.get('from_date'), context.get('to_date'))
        else:
            span = (None, context.get('date') or Date.today())
        with without_check_access():
            amounts, = cls.hub_combined(
                company_ids, [span], posted=bool(context.get('posted')))
        total = amounts[TOTAL]
        return {c.id: total.get(c.id, Decimal(0)) for c in consolidations}


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    @classmethod
    def onboard(cls, *args, **kwargs):
        member = super().onboard(*args, **kwargs)
        with without_check_access():
            Pool().get('account.consolidation').hub_map_companies(
                [member.company])
        return member


class UpdateTree(Wizard):
    "Update the pôle's consolidation tree"
    __name__ = 'hub.consolidation.update_tree'
    start_state = 'update'
    update = StateTransition()

    def transition_update(self):
        pool = Pool()
        Consolidation = pool.get('account.consolidation')
        Member = pool.get('hub.member')
        members = Member.search([])
        Consolidation.hub_map_companies([m.company for m in members])
        return 'end'
