#!/usr/bin/env bash
# Runs every test: unit tests, RFC vectors and interop with real peers.
# Installs the peers (Debian packages) when they are missing; a peer that is still missing
# makes its tests fail, never skip.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v gnutls-cli >/dev/null || need+=(gnutls-bin)
command -v curl >/dev/null || need+=(curl)
command -v tshark >/dev/null || need+=(tshark)
command -v openssl >/dev/null || need+=(openssl)
command -v python3 >/dev/null || need+=(python3)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
[ -e /usr/lib/x86_64-linux-gnu/libssl.so.3 ] || need+=(libssl3)
[ -e /usr/lib/x86_64-linux-gnu/libpcap.so.0.8 ] || need+=(libpcap0.8)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing test peers: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# One test assembly at a time (-m:1): the interop tests wait on real peers with timeouts, and
# sharing two cores with the unit tests and the quick benchmark made them flaky.
dotnet test SharpTls.slnx -c Release -m:1 --logger "console;verbosity=minimal" "$@"
