"""Every menu entry of a user opened over JSON-RPC as sao opens it (issue 21)

`walk(client)` searches the menus the user sees (``ir.ui.menu`` as the user
filters them), gets each entry's actions as a click does
(``ir.action.keyword.get_keyword('tree_open', ...)``) and opens them:

- a window: its PYSON domain, context, order, search value and first tab
  decoded with the session's context, the context model's defaults, the
  views' ``fields_view_get``, ``search_count`` and ``search`` with the
  action's limit, then ``read`` of every field of each view (with the
  ``rec_name`` of what a Many2One or Reference points to, as sao shows
  them) and, for a form, the lines of its One2Many and Many2Many fields
  read with their model's list view;
- a board (a window without model): its view (``ir.ui.view.view_get``)
  and each of its actions (``ir.action.act_window.get``) opened as a window;
- a wizard: ``create`` and its first state, then ``delete``;
- a report: not run; its model must be readable.

Each call that fails gives a Problem (menu path, call, the error); the
pages' outcomes are also kept per menu (`Opened`) for other checks.
"""
import collections
import re
import urllib.error

from trytond.pyson import PYSONDecoder

from live import RPCError

Problem = collections.namedtuple('Problem', ['menu', 'call', 'error'])
Opened = collections.namedtuple('Opened', ['menu', 'type', 'model'])

# Records whose form is read, lines read per x2many field
FORM_RECORDS = 20
LINES = 20
REFERENCE = {'many2one', 'reference', 'one2one'}
# The actions of a board view, as sao reads them
BOARD_ACTION = re.compile(r'<action\b[^>]*\bname="([^"]+)"')
X2MANY = {'one2many', 'many2many'}


def decode(pyson, context, default):
    if not pyson:
        return default
    return PYSONDecoder(context).decode(pyson)


def conjunction(*domains):
    domains = [d for d in domains if d]
    if not domains:
        return []
    if len(domains) == 1:
        return domains[0]
    return ['AND', *domains]


def read_fields(fields):
    "The names sao reads for the fields of a view"
    names = {'rec_name', '_write', '_delete', '_timestamp'}
    for name, definition in fields.items():
        names.add(name)
        if definition['type'] in REFERENCE:
            names.add('%s.rec_name' % name)
    return sorted(names)


class Walker:

    def __init__(self, client):
        self.client = client
        self.problems = []
        self.opened = []

    def call(self, menu, method, model, *args, context=None):
        try:
            return self.client.model(model, method, *args, context=context)
        except RPCError as error:
            self.problems.append(Problem(menu, '%s.%s' % (model, method),
                    error.message))
        except urllib.error.HTTPError as error:
            self.problems.append(Problem(menu, '%s.%s' % (model, method),
                    'HTTP %s' % error.code))

    def menus(self):
        menus = self.client.model('ir.ui.menu', 'search_read', [], 0, None,
            None, ['complete_name', 'action'])
        return sorted(menus, key=lambda m: m['complete_name'])

    def walk(self):
        for menu in self.menus():
            if not menu['action']:
                continue
            name = menu['complete_name']
            data = {'active_model': 'ir.ui.menu', 'active_id': menu['id'],
                'active_ids': [menu['id']]}
            actions = self.call(name, 'get_keyword', 'ir.action.keyword',
                'tree_open', ['ir.ui.menu', menu['id']])
            if actions == []:
                # The action's groups keep it from the user: a click on
                # the menu does nothing
                self.problems.append(Problem(name, 'get_keyword',
                        'menu offered, its action refused'))
            for action in actions or []:
                self.open(name, action, data)
        return self

    def open(self, menu, action, data):
        kind = action['type']
        if kind == 'ir.action.act_window' and not action['res_model']:
            self.board(menu, action, data)
        elif kind == 'ir.action.act_window':
            self.opened.append(Opened(menu, kind, action['res_model']))
            self.window(menu, action, data)
        elif kind == 'ir.action.wizard':
            self.opened.append(Opened(menu, kind, action['wiz_name']))
            self.wizard(menu, action, data)
        elif kind == 'ir.action.report':
            self.opened.append(Opened(menu, kind, action['model']))
            model = action['model']
            if model:
                access = self.call(menu, 'get_access', 'ir.model.access',
                    [model])
                if access and not access[model]['read']:
                    self.problems.append(Problem(menu, 'report %s' % (
                                action['report_name']),
                            '%s not readable' % model))

    def board(self, menu, action, data):
        "A board: its view, then each of its actions as a window"
        kind = action['type']
        views = action.get('views') or []
        view = self.call(menu, 'view_get', 'ir.ui.view',
            views[0][0] if views else None, context=self.client.ctx)
        if view is None:
            return
        for name in BOARD_ACTION.findall(view['arch']):
            inner = self.call(menu, 'get', 'ir.action.act_window', name,
                context=self.client.ctx)
            if inner is not None:
                self.opened.append(Opened(menu, kind, inner['res_model']))
                self.window(menu, inner, data)

    def window(self, menu, action, data):
        session = self.client.ctx
        ctx = dict(data, **session, _user=self.client.user_id)
        context = dict(session, **decode(
                action.get('pyson_context'), ctx, {}))
        ctx.update(context)
        ctx['context'] = dict(ctx)
        domain = decode(action.get('pyson_domain'), ctx, [])
        order = decode(action.get('pyson_order'), ctx, None)
        search_value = decode(action.get('pyson_search_value'), ctx, [])
        tabs = [decode(d[1], ctx, []) for d in action.get('domains') or []]
        model = action['res_model']
        if action.get('context_model'):
            context = self.context_model(
                menu, action['context_model'], context)
        views = action.get('views') or []
        if not views:
            views = [[None, m] for m in (action.get('view_mode')
                    or 'tree,form').split(',')]
        definitions = []
        for view_id, view_type in views:
            view = self.call(menu, 'fields_view_get', model, view_id,
                view_type, context=context)
            if view is None:
                return
            definitions.append((view_type, view))
        if action.get('res_id'):
            ids = [action['res_id']]
        else:
            search = conjunction(domain, tabs[0] if tabs else [],
                search_value if isinstance(search_value, list) else [])
            for tab in tabs[1:]:
                self.call(menu, 'search_count', model,
                    conjunction(domain, tab), 0, None, context=context)
            if self.call(menu, 'search_count', model, search, 0, None,
                    context=context) is None:
                return
            ids = self.call(menu, 'search', model, search, 0,
                action.get('limit') or 1000, order, context=context)
        if not ids:
            return
        for view_type, view in definitions:
            if view_type not in {'tree', 'form', 'calendar', 'graph',
                    'list-form'}:
                continue
            some = ids if view_type != 'form' else ids[:FORM_RECORDS]
            records = self.call(menu, 'read', model, some,
                read_fields(view['fields']), context=context)
            if view_type == 'form' and records:
                self.lines(menu, view['fields'], records, context)

    def lines(self, menu, fields, records, context):
        "The lines of a form's x2many fields, as its list view shows them"
        for name, definition in sorted(fields.items()):
            if definition['type'] not in X2MANY:
                continue
            ids = sorted({i for r in records for i in (r.get(name) or [])})
            if not ids:
                continue
            relation = definition['relation']
            view_ids = definition.get('view_ids') or []
            view = self.call(menu, 'fields_view_get', relation,
                view_ids[0] if view_ids else None, 'tree', context=context)
            if view is not None:
                self.call(menu, 'read', relation, ids[:LINES],
                    read_fields(view['fields']), context=context)

    def context_model(self, menu, model, context):
        "The context form of the action: its defaults go in the context"
        view = self.call(menu, 'fields_view_get', model, None, 'form',
            context=context)
        if view is None:
            return context
        values = self.call(menu, 'default_get', model,
            sorted(view['fields']), False, context=context) or {}
        values = {k: v for k, v in values.items() if '.' not in k}
        return dict(context, **values)

    def wizard(self, menu, action, data):
        name = action['wiz_name']
        context = dict(self.client.ctx, action_id=action['id'], **data)
        try:
            session, start, _ = self.client.call(
                'wizard.%s.create' % name, [context])
            self.client.call('wizard.%s.execute' % name,
                [session, {}, start, context])
        except RPCError as error:
            self.problems.append(Problem(
                    menu, 'wizard %s' % name, error.message))
            return
        self.client.call('wizard.%s.delete' % name, [session, context])


def walk(client):
    return Walker(client).walk()
