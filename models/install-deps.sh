#!/usr/bin/env bash
# Installs the Python training stack from Debian packages (the project does not depend on PyPI).
# Idempotent: does nothing when torch, onnx, numpy and matplotlib already import.
# libopenblas0-pthread matters: without it torch falls back to reference BLAS (3-5x slower).
set -euo pipefail

PY=/usr/bin/python3
PACKAGES=(python3-torch python3-onnx libopenblas0-pthread python3-numpy python3-matplotlib)

if "$PY" -c 'import torch, onnx, numpy, matplotlib' 2>/dev/null; then
  echo "install-deps: python deps already present"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${PACKAGES[@]}"
fi

# Debian 12 ships no onnxruntime for Python; export is verified with onnx.checker plus the
# parity fixture that the Java side (ONNX Runtime) checks to 1e-5 (see models/README.md).
if apt-cache show python3-onnxruntime >/dev/null 2>&1; then
  echo "install-deps: note: python3-onnxruntime is available in apt (not installed, not required)"
fi

"$PY" -c 'import torch, onnx, numpy; print("torch", torch.__version__, "onnx", onnx.__version__, "numpy", numpy.__version__)'
