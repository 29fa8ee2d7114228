"""The project installed as a wheel (not editable) carries every file of the
modules that git tracks: a report template or a view left out of
package_data works in the checkout and breaks in production."""
import pathlib
import shutil
import subprocess
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_wheel_has_every_module_file(tmp_path):
    tracked = subprocess.run(
        ['git', 'ls-files'], cwd=ROOT, check=True,
        capture_output=True, text=True).stdout.splitlines()
    # Built from a copy of the tracked files: a build/ folder left in the
    # checkout would otherwise hide a missing pattern.
    source = tmp_path / 'src'
    for path in tracked:
        if (ROOT / path).is_file():
            (source / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / path, source / path)
    subprocess.run(
        [sys.executable, '-m', 'pip', 'wheel', '--no-deps',
            '--disable-pip-version-check', '-q', '-w', str(tmp_path),
            str(source)],
        check=True, capture_output=True)
    wheel, = tmp_path.glob('pole-*.whl')
    with zipfile.ZipFile(wheel) as zip_:
        packaged = set(zip_.namelist())
    expected = {'trytond/' + p for p in tracked if p.startswith('modules/')}
    assert len(expected) > 100
    assert sorted(expected - packaged) == []
