#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 interpreter, or explains how to get one.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for name in python3.13 python3.12; do
  command -v "$name" >/dev/null 2>&1 && candidates+=("$(command -v "$name")")
done
for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13* "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*; do
  [ -x "$dir/bin/python" ] && candidates+=("$dir/bin/python")
done
command -v python3 >/dev/null 2>&1 && candidates+=("$(command -v python3)")
for c in "${candidates[@]}"; do
  if ok "$c"; then echo "$c"; exit 0; fi
done
echo "Không tìm thấy Python 3.12 trở lên / Python 3.12+ not found." >&2
echo "Cài bằng: sudo apt-get install python3.12 python3.12-venv (hoặc pyenv install 3.12), rồi chạy lại." >&2
echo "Or set PYTHON=/path/to/python3.12 when calling make." >&2
exit 1
