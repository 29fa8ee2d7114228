# This file is part of Pôle.
import datetime as dt

from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def sync_roles(cls, users=None, date=None, clear=False):
        super().sync_roles(users=users, date=date, clear=clear)
        cls.grant_member_companies(users, date=date)

    @classmethod
    def grant_member_companies(cls, users=None, date=None):
        "Give the collective's accountants access to every member company"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        UserRole = pool.get('res.user.role')
        Member = pool.get('hub.member')

        date = date or dt.datetime.now()
        domain = [('role', '=', ModelData.get_id('hub', 'role_accountant'))]
        if users is not None:
            domain.append(('user', 'in', [u.id for u in users]))
        with without_check_access():
            accountants = {
                r.user for r in UserRole.search(domain) if r.valid(date)}
            companies = {m.company.id for m in Member.search(
                        [('active', 'in', [True, False])])}
            to_write = []
            for user in accountants:
                missing = companies - {c.id for c in user.companies}
                if missing:
                    to_write.extend(
                        [[user], {'companies': [('add', sorted(missing))]}])
            if to_write:
                cls.write(*to_write)
