# Sourced by the scripts: where things are, and a venv with the project.
# Needs only Python 3.11 (and npm for the web client).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${POLE_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
# trytond wants an absolute SQLite path; the config file leaves it to us.
export TRYTOND_DATABASE__PATH="${TRYTOND_DATABASE__PATH:-$ROOT/var/db}"
mkdir -p "$TRYTOND_DATABASE__PATH"

# Install the project (editable) and its extras into the venv when missing
# or when pyproject.toml, setup.py or the list of modules changed.
ensure_venv() {
    local extras="${1:-test}"
    local stamp="$VENV/.pole-installed"
    local want
    want="$extras $(cat "$ROOT/pyproject.toml" "$ROOT/setup.py" | sha1sum | cut -c1-16) $(ls "$ROOT/modules" | tr '\n' ' ')"
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
    fi
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            --upgrade pip >/dev/null
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            -e "$ROOT[$extras]"
        echo "$want" > "$stamp"
    fi
}
