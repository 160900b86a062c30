#!/usr/bin/env bash
# Installs what `./chronoprice bench` needs beyond Java and Maven, from Debian's packages: wrk (the API load),
# psql (seeding the API bench's database) and what `./chronoprice up` needs (its stack is measured too).
# Idempotent and quick when everything is present.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

"$ROOT/scripts/install-run-deps.sh"

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v psql >/dev/null || missing+=(postgresql-client)
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
