# This file is part of Pôle.
"""Statement rules shared by the pôle: a stock rule with no company is read
by every member (account_statement_rule's record rule); its lines name the
account by its code, found in the chart of the member whose statement is
matched (every member's chart comes from the same French template)."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval


class StatementRuleLine(metaclass=PoolMeta):
    __name__ = 'account.statement.rule.line'

    account_code = fields.Char("Account Code",
        states={
            'invisible': Bool(Eval('company')) | Bool(Eval('account')),
            },
        help="For a rule of the pôle (no company): the code of the account "
        "in the chart of the member whose statement is matched.")

    def get_line(self, origin, keywords, **context):
        if self.account or not self.account_code:
            return super().get_line(origin, keywords, **context)
        account = self.hub_account(origin.company)
        if not account:
            return None
        # The member's account, for this origin only (never saved)
        self.account = account
        try:
            return super().get_line(origin, keywords, **context)
        finally:
            self.account = None

    def hub_account(self, company):
        "The company's account of the code, else None"
        Account = Pool().get('account.account')
        accounts = Account.search([
                ('company', '=', company.id),
                ('code', '=', self.account_code.strip()),
                ('type', '!=', None),
                ('closed', '!=', True),
                ], limit=1)
        return accounts[0] if accounts else None
