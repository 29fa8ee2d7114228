# This file is part of Pôle.
"""The directors' dashboard: the combined result of the year to date beside
last year's and the cash of each member (invoicing.py adds the inter-member
balances when hub_invoicing is activated).

Other modules add their indicators by extending ``Dashboard.indicators``
(and the selection of ``DashboardLine.kind``), e.g. the insertion modules
with the ETP consumed against the ETP of the annexes financières: this
module does not know them."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import without_check_access
from trytond.wizard import Button, StateView, Wizard

from .consolidation import TOTAL
from .statement import check_group, members, previous_year


class Dashboard(ModelView):
    "Directors' dashboard"
    __name__ = 'hub.consolidation.dashboard'

    date = fields.Date("Date", readonly=True)
    result = fields.Numeric("Result of the Year to Date", digits=(16, 2),
        readonly=True,
        help="Combined result of the pôle, inter-member flows eliminated.")
    result_previous = fields.Numeric("Last Year to the Same Date",
        digits=(16, 2), readonly=True)
    lines = fields.One2Many(
        'hub.consolidation.dashboard.line', None, "Indicators",
        readonly=True)

    @classmethod
    def indicators(cls, date):
        """The lines of the dashboard at date, as dicts of
        DashboardLine's fields.  Extend to add indicators."""
        pool = Pool()
        Consolidation = pool.get('account.consolidation')
        ModelData = pool.get('ir.model.data')
        records = members(None, date.replace(month=1, day=1), date)
        company_ids = [m.company.id for m in records]
        previous = previous_year(date)
        lines = []
        with without_check_access():
            nodes = {n.hub_template.id: n.id for n in Consolidation.search(
                    [('hub_template', '!=', None)])}
            result = nodes.get(ModelData.get_id(
                    'account_fr', 'compte_resultat'))
            cash = nodes.get(ModelData.get_id('account_fr', 'disponibilites'))
            income = Consolidation.hub_combined(company_ids, [
                    (date.replace(month=1, day=1), date),
                    (previous.replace(month=1, day=1), previous)],
                closing=False)
            balance = Consolidation.hub_combined(
                company_ids, [(None, date), (None, previous)])
            for member in records + [None]:
                key = member.company.id if member else TOTAL
                name = member.company.rec_name if member else gettext(
                    'hub_consolidation.msg_column_total')
                lines.append({
                        'kind': 'result',
                        'name': name,
                        'value': income[0][key].get(result, Decimal(0)),
                        'previous': income[1][key].get(result, Decimal(0)),
                        })
                lines.append({
                        'kind': 'cash',
                        'name': name,
                        'value': balance[0][key].get(cash, Decimal(0)),
                        'previous': balance[1][key].get(cash, Decimal(0)),
                        })
        return lines

    @classmethod
    def compute(cls, date=None):
        "The values of the dashboard at date (today by default)"
        check_group()
        date = date or Pool().get('ir.date').today()
        lines = cls.indicators(date)
        # indicators puts the pôle's total after the members' lines
        total = [l for l in lines if l['kind'] == 'result'][-1:]
        return {
            'date': date,
            'result': total[0]['value'] if total else None,
            'result_previous': total[0]['previous'] if total else None,
            'lines': lines,
            }


class DashboardLine(ModelView):
    "Directors' dashboard indicator"
    __name__ = 'hub.consolidation.dashboard.line'

    kind = fields.Selection([
            ('result', "Result of the Year to Date"),
            ('cash', "Cash"),
            ], "Indicator", readonly=True)
    name = fields.Char("Member", readonly=True)
    value = fields.Numeric("Value", digits=(16, 2), readonly=True)
    previous = fields.Numeric("Comparison", digits=(16, 2), readonly=True,
        help="Last year's figure to the same date for the result and the "
        "cash; the conventioned ETP pro rata temporis for the ETP.")


class OpenDashboard(Wizard):
    "Directors' dashboard"
    __name__ = 'hub.consolidation.dashboard.open'

    start = StateView('hub.consolidation.dashboard',
        'hub_consolidation.dashboard_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        return Pool().get('hub.consolidation.dashboard').compute()
