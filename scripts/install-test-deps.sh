#!/usr/bin/env bash
# Installs what the tests need beyond Java and Maven, from Debian's packages; idempotent and quick when
# everything is present. The Python training stack has its own script in models/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

"$ROOT/models/install-deps.sh"
"$ROOT/scripts/install-run-deps.sh"   # Prometheus, for the smoke test of the local run

missing=()
command -v chromium >/dev/null || missing+=(chromium)     # the live page's headless browser test
command -v psql >/dev/null || missing+=(postgresql-client) # the local-run smoke test's database probe
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
