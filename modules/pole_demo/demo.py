# This file is part of Pôle.
import datetime as dt

from trytond.model import Model
from trytond.modules.hub.member import ONBOARDING_LOCK_TABLES
from trytond.pool import Pool

# What a build locks (onboarding, then posting moves): its transaction takes
# them from the start, or each restarts the whole build.
BUILD_LOCK_TABLES = ONBOARDING_LOCK_TABLES + ['account_journal_period']


class Demo(Model):
    """Demo pôle builder

    Runs server-side in one transaction.  The demo data of the optional
    modules extend `build` from their own file, registered by a
    `[register <module>]` section of tryton.cfg when that module is
    activated.
    """
    __name__ = 'hub.demo'

    @classmethod
    def build(cls, definition, today=None):
        "Build the demo pôle described by definition; return what was done"
        today = today or Pool().get('ir.date').today()
        members = cls.build_members(definition['members'], today)
        users = cls.build_users(definition['users'], members)
        cls.set_language(definition.get('language'), [
                definition.get('admin', {}).get('login', 'admin'),
                *users])
        return {'members': members, 'users': users}

    @classmethod
    def set_language(cls, code, logins):
        "The demo speaks the language of its users, once it is loaded"
        pool = Pool()
        Lang = pool.get('ir.lang')
        User = pool.get('res.user')
        if not code:
            return
        languages = Lang.search(
            [('code', '=', code), ('translatable', '=', True)], limit=1)
        if languages:
            language, = languages
            users = [u for u in User.search([('login', 'in', logins)])
                if u.language != language]
            if users:
                User.write(users, {'language': language.id})

    @classmethod
    def build_members(cls, values, today):
        "Onboard the members through the wizard's code path, once"
        pool = Pool()
        Member = pool.get('hub.member')
        ModelData = pool.get('ir.model.data')
        Template = pool.get('account.account.template')

        france = cls.build_france()
        members = {}
        start = today.replace(month=1, day=1)
        end = today.replace(month=12, day=31)
        for value in values:
            existing = Member.search([('siret', '=', value['siret'])])
            if existing:
                member, = existing
            else:
                template = Template(
                    ModelData.get_id(*value['chart'].split('.', 1)))
                member = Member.onboard(
                    value['name'], value['siret'], value['kind'], template,
                    start, end, street=value.get('street'),
                    postal_code=value.get('postal_code'),
                    city=value.get('city'), country=france,
                    vat_liable=value.get('vat_liable', False),
                    joined=dt.date.fromisoformat(value['joined']),
                    collective=value.get('collective', False))
            members[value['key']] = member
        return members

    @classmethod
    def build_france(cls):
        """France, created if missing: Tryton ships no country, and its
        trytond_import_countries needs pycountry, which is not installed;
        the demo's addresses are all French"""
        Country = Pool().get('country.country')
        countries = Country.search([('code', '=', 'FR')], limit=1)
        if countries:
            france, = countries
        else:
            france = Country(name="France", code='FR', code3='FRA',
                code_numeric='250')
            france.save()
        return france

    @classmethod
    def build_users(cls, values, members):
        "A user per role, with the companies their role gives them"
        pool = Pool()
        User = pool.get('res.user')
        UserRole = pool.get('res.user.role')
        ModelData = pool.get('ir.model.data')

        users = {}
        for value in values:
            existing = User.search([('login', '=', value['login'])])
            if existing:
                user, = existing
            else:
                if value['members'] == 'all':
                    companies = [m.company for m in members.values()]
                else:
                    companies = [members[k].company for k in value['members']]
                user = User(
                    login=value['login'], name=value['name'],
                    password=value['password'],
                    companies=companies, company=companies[0])
                user.roles = [UserRole(role=ModelData.get_id(
                            *value['role'].split('.', 1)))]
                user.save()
            users[value['login']] = user
        return users
