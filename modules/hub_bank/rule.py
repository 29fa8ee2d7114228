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
        "in the chart of the member whose statement is matched (its first "
        "open sub-account when the code is closed).")

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
        """The company's first open account of the code or under it (French
        charts close 421 to be detailed: 4210, 4211), else None"""
        Account = Pool().get('account.account')
        code = self.account_code.strip()
        accounts = Account.search([
                ('company', '=', company.id),
                ['OR', ('code', '=', code), ('code', 'like', code + '_%')],
                ('type', '!=', None),
                ('closed', '!=', True),
                ], order=[('code', 'ASC')], limit=1)
        return accounts[0] if accounts else None
