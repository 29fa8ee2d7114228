# This file is part of Pôle.
import datetime as dt
import gettext

import pycountry

from trytond.model import Model
from trytond.modules.hub.member import ONBOARDING_LOCK_TABLES
from trytond.pool import Pool
from trytond.tools import remove_forbidden_chars
from trytond.transaction import Transaction

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
        """Every country of ISO 3166-1 (pycountry, as Tryton's
        trytond_import_countries reads it, without the subdivisions),
        named in English and translated into French, those missing only;
        return France, where the demo's members are"""
        pool = Pool()
        Country = pool.get('country.country')
        french = gettext.translation(
            'iso3166-1', pycountry.LOCALES_DIR, languages=['fr'])
        known = {c.code for c in Country.search([])}
        missing = [c for c in pycountry.countries if c.alpha_2 not in known]
        if missing:
            with Transaction().set_context(language='en'):
                countries = Country.create([{
                            'name': remove_forbidden_chars(c.name),
                            'code': c.alpha_2, 'code3': c.alpha_3,
                            'code_numeric': c.numeric,
                            } for c in missing])
            with Transaction().set_context(language='fr'):
                Country.write(*[x for country, c in zip(countries, missing)
                        for x in ([country], {'name': remove_forbidden_chars(
                                    french.gettext(c.name))})])
        france, = Country.search([('code', '=', 'FR')])
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
