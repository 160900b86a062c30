#!/usr/bin/env bash
# Installs what `./chronoprice up` needs beyond Java and Maven: Debian's `prometheus` package, for the local
# run's Prometheus. Idempotent and quick when it is present.
#
# On a machine with systemd, installing the package also enables Debian's own Prometheus service on port 9090.
# ChronoPrice does not use it: the local run starts its own Prometheus on CHRONOPRICE_PROMETHEUS_PORT (9099) with
# its own configuration and data directory. `sudo systemctl disable --now prometheus` stops Debian's.
set -euo pipefail

if command -v prometheus >/dev/null; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends prometheus
