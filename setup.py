"""Install every modules/<name> as trytond.modules.<name>.

A new module only needs its own folder (with a tryton.cfg): it is found
here and registered in the "trytond.modules" entry point group.
"""
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).parent
MODULES = sorted(
    p.parent.name for p in (HERE / 'modules').glob('*/tryton.cfg'))

packages, package_dir, package_data = [], {}, {}
for name in MODULES:
    root = HERE / 'modules' / name
    for init in sorted(root.rglob('__init__.py')):
        sub = init.parent.relative_to(root).parts
        pkg = '.'.join(('trytond', 'modules', name) + sub)
        packages.append(pkg)
        package_dir[pkg] = '/'.join(('modules', name) + sub)
        package_data[pkg] = [
            '*.cfg', '*.xml', '*.rst', '*.json', '*.fodt', '*.ods',
            'view/*.xml', 'locale/*.po', 'doc/*', 'icons/*.svg']

setup(
    packages=packages,
    package_dir=package_dir,
    package_data=package_data,
    entry_points={
        'trytond.modules': [
            f'{name} = trytond.modules.{name}' for name in MODULES],
        },
    )
