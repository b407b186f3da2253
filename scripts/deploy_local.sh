#!/usr/bin/env bash
# The national deployment on one machine, exercised (see scripts/deploy_local.py and docs/deployment.md).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python scripts/deploy_local.py "$@"
