#!/usr/bin/env bash
# Captures real TLS handshakes on loopback as test fixtures for the dissector and the codecs.
#
#   scripts/capture-fixtures.sh [NAME...]     (no NAME: every scenario)
#
# For each scenario it writes, under tests/fixtures/:
#   captures/<name>.pcapng          tshark -i lo capture of the connection(s) (tls10 also as a classic .pcap)
#   handshakes/<name>.c2s.bin       the raw client->server TCP byte stream of the first connection
#   handshakes/<name>.s2c.bin       the raw server->client TCP byte stream of the first connection
#   handshakes/<name>.keys          the NSS key log of the client (SSLKEYLOGFILE format)
# The throwaway test PKI (CA, an RSA and an ECDSA server certificate, their keys) lives in
# tests/fixtures/pki/ and is generated once; its private keys protect nothing but these fixtures.
#
# Needs root (or capture rights) for tshark/tcpdump on lo. Installs the Debian packages it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
fx=$root/tests/fixtures
pki=$fx/pki
caps=$fx/captures
hs=$fx/handshakes
mkdir -p "$pki" "$caps" "$hs"
host=www.contoso.test

# ---- peers ----------------------------------------------------------------------------------
need=()
command -v tshark >/dev/null || need+=(tshark)
command -v tcpdump >/dev/null || need+=(tcpdump)
command -v gnutls-cli >/dev/null || need+=(gnutls-bin)
command -v curl >/dev/null || need+=(curl)
command -v chromium >/dev/null || need+=(chromium)
command -v certutil >/dev/null || need+=(libnss3-tools)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# ---- throwaway test PKI (generated once, then committed) --------------------------------------
if [ ! -f "$pki/ca.crt" ]; then
  echo "generating test PKI in $pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7300 \
    -subj "/O=SharpTls Test/CN=SharpTls Test CA" -keyout "$pki/ca.key" -out "$pki/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  ext=$(mktemp)
  printf 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$host" >"$ext"
  openssl req -newkey rsa:2048 -nodes -subj "/O=SharpTls Test/CN=$host" -keyout "$pki/server-rsa.key" -out "$pki/server-rsa.csr" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/O=SharpTls Test/CN=$host" \
    -keyout "$pki/server-ecdsa.key" -out "$pki/server-ecdsa.csr" 2>/dev/null
  for k in rsa ecdsa; do
    openssl x509 -req -in "$pki/server-$k.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
      -days 7300 -sha256 -extfile "$ext" -out "$pki/server-$k.crt" 2>/dev/null
    rm -f "$pki/server-$k.csr"
  done
  rm -f "$ext" "$pki/ca.srl"
fi

# ---- capture machinery ------------------------------------------------------------------------
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# start_capture NAME PORT [pcap]: tshark (pcapng) on lo for tcp port PORT; also tcpdump (.pcap) if asked.
start_capture() {
  local name=$1 port=$2
  rm -f "$caps/$name.pcapng" "$caps/$name.pcap"
  tshark -q -i lo -f "tcp port $port" -w "$caps/$name.pcapng" 2>"$tmp/tshark.err" &
  cap_pid=$!; pids+=("$cap_pid")
  dump_pid=""
  if [ "${3:-}" = pcap ]; then
    tcpdump -q -i lo -U -w "$caps/$name.pcap" "tcp port $port" 2>"$tmp/tcpdump.err" &
    dump_pid=$!; pids+=("$dump_pid")
  fi
  for _ in $(seq 100); do
    if grep -q "Capturing on" "$tmp/tshark.err" 2>/dev/null \
      && { [ -z "$dump_pid" ] || grep -q "listening on" "$tmp/tcpdump.err" 2>/dev/null; }; then return 0; fi
    sleep 0.1
  done
  echo "capture did not start: $(cat "$tmp/tshark.err")" >&2; return 1
}

stop_capture() {
  sleep 1
  kill -INT "$cap_pid"; wait "$cap_pid" 2>/dev/null || true
  if [ -n "$dump_pid" ]; then kill -INT "$dump_pid"; wait "$dump_pid" 2>/dev/null || true; fi
}

# start_server PORT ARGS...: openssl s_server on 127.0.0.1:PORT; waits until it accepts. It echoes
# each line reversed (-rev), which keeps the fixtures small; SERVE=-www makes it an HTTP server.
start_server() {
  local port=$1; shift
  openssl s_server -accept "127.0.0.1:$port" "${SERVE:--rev}" "$@" >"$tmp/server.out" 2>&1 &
  srv_pid=$!; pids+=("$srv_pid")
  for _ in $(seq 100); do
    grep -q "ACCEPT" "$tmp/server.out" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "s_server did not start: $(cat "$tmp/server.out")" >&2; return 1
}

stop_server() { kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; }

# extract NAME: the two byte streams of the first TCP connection that carried data.
extract() {
  local name=$1 file=$caps/$1.pcapng
  tshark -r "$file" -q -z follow,tcp,raw,0 | python3 -c '
import sys
c2s, s2c = bytearray(), bytearray()
for line in sys.stdin:
    if line.startswith(("====", "Follow:", "Filter:", "Node ")) or not line.strip():
        continue
    data = bytes.fromhex(line.strip())
    (s2c if line.startswith("\t") else c2s).extend(data)
open(sys.argv[1], "wb").write(c2s); open(sys.argv[2], "wb").write(s2c)
' "$hs/$name.c2s.bin" "$hs/$name.s2c.bin"
  [ -s "$hs/$name.c2s.bin" ] && [ -s "$hs/$name.s2c.bin" ] || { echo "$name: empty stream" >&2; return 1; }
  printf '%-28s %6d bytes pcapng, c2s %5d, s2c %5d\n' "$name" "$(stat -c %s "$file")" \
    "$(stat -c %s "$hs/$name.c2s.bin")" "$(stat -c %s "$hs/$name.s2c.bin")"
}

say_hello() { printf 'hello\n'; sleep 1; }

rsa=(-cert "$pki/server-rsa.crt" -key "$pki/server-rsa.key")
ecdsa=(-cert "$pki/server-ecdsa.crt" -key "$pki/server-ecdsa.key")
s_client() { openssl s_client -connect "127.0.0.1:$port" -CAfile "$pki/ca.crt" -keylogfile "$hs/$name.keys" "$@" >"$tmp/client.out" 2>&1 || true; }

# ---- scenarios --------------------------------------------------------------------------------
# Each sets up a server, captures one client's connection, and extracts the streams.

scenario_openssl_tls13() {
  start_server "$port" "${rsa[@]}" -tls1_3 -alpn h2,http/1.1
  say_hello | s_client -tls1_3 -servername "$host" -alpn h2,http/1.1
}

scenario_openssl_tls13_hrr() { # the client's one key share (X25519) is not the server's group: HelloRetryRequest
  start_server "$port" "${rsa[@]}" -tls1_3 -groups P-256
  say_hello | s_client -tls1_3 -servername "$host" -groups X25519:P-256
}

scenario_openssl_tls12_ecdhe_rsa() {
  start_server "$port" "${rsa[@]}" -tls1_2 -alpn h2,http/1.1
  say_hello | s_client -tls1_2 -servername "$host" -alpn h2,http/1.1 -cipher ECDHE-RSA-AES128-GCM-SHA256
}

scenario_openssl_tls12_ecdhe_ecdsa() {
  start_server "$port" "${ecdsa[@]}" -tls1_2 -alpn h2,http/1.1
  say_hello | s_client -tls1_2 -servername "$host" -alpn h2,http/1.1 -cipher ECDHE-ECDSA-AES256-GCM-SHA384
}

scenario_openssl_tls12_alert() { # the client does not trust the server: fatal unknown_ca alert
  start_server "$port" "${rsa[@]}" -tls1_2
  say_hello | openssl s_client -connect "127.0.0.1:$port" -tls1_2 -servername "$host" -verify_return_error \
    -no-CAfile -no-CApath -no-CAstore >"$tmp/client.out" 2>&1 || true
}

scenario_openssl_tls10() {
  start_server "$port" "${rsa[@]}" -tls1 -cipher DEFAULT@SECLEVEL=0
  say_hello | s_client -tls1 -cipher DEFAULT@SECLEVEL=0 -servername "$host"
}

scenario_gnutls_tls13() {
  start_server "$port" "${rsa[@]}" -alpn h2,http/1.1
  say_hello | SSLKEYLOGFILE="$hs/$name.keys" gnutls-cli -p "$port" --x509cafile "$pki/ca.crt" \
    --sni-hostname "$host" --verify-hostname "$host" --alpn h2 --alpn http/1.1 127.0.0.1 >"$tmp/client.out" 2>&1 || true
}

scenario_curl_tls13() {
  SERVE=-www start_server "$port" "${rsa[@]}" -alpn http/1.1
  SSLKEYLOGFILE="$hs/$name.keys" curl -sS --max-time 10 --cacert "$pki/ca.crt" \
    --resolve "$host:$port:127.0.0.1" "https://$host:$port/" -o /dev/null >"$tmp/client.out" 2>&1 || true
}

scenario_python_tls13() {
  start_server "$port" "${rsa[@]}" -alpn h2,http/1.1
  python3 - "$port" "$pki/ca.crt" "$host" "$hs/$name.keys" >"$tmp/client.out" 2>&1 <<'PY' || true
import socket, ssl, sys
port, ca, host, keys = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(cafile=ca)
ctx.keylog_filename = keys
ctx.set_alpn_protocols(["h2", "http/1.1"])
with socket.create_connection(("127.0.0.1", port)) as raw, ctx.wrap_socket(raw, server_hostname=host) as s:
    print(s.version(), s.cipher(), s.selected_alpn_protocol())
PY
}

scenario_chromium_tls13() {
  SERVE=-www start_server "$port" "${rsa[@]}" -alpn http/1.1
  local home=$tmp/chromium-home
  rm -rf "$home"; mkdir -p "$home/.pki/nssdb"
  certutil -N -d "sql:$home/.pki/nssdb" --empty-password
  certutil -A -d "sql:$home/.pki/nssdb" -n "SharpTls Test CA" -t "C,," -i "$pki/ca.crt"
  HOME=$home SSLKEYLOGFILE="$hs/$name.keys" timeout 40 chromium --headless --no-sandbox --disable-gpu \
    --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$home/profile" --host-resolver-rules="MAP *.contoso.test 127.0.0.1, MAP * ~NOTFOUND" \
    --dump-dom "https://$host:$port/" >"$tmp/client.out" 2>"$tmp/client.err" || true
  grep -q "s_server" "$tmp/client.out" || { echo "chromium did not load the page: $(grep -m3 ERR_ "$tmp/client.err")" >&2; return 1; }
}

scenarios=(openssl_tls13 openssl_tls13_hrr openssl_tls12_ecdhe_rsa openssl_tls12_ecdhe_ecdsa openssl_tls12_alert
     openssl_tls10 gnutls_tls13 curl_tls13 python_tls13 chromium_tls13)
run=("${scenarios[@]}")
[ $# -gt 0 ] && run=("$@")

tmp=$(mktemp -d)
for s in "${run[@]}"; do
  port=44300 # each scenario has its own port, 44301 and up, whether run alone or with the others
  for i in "${!scenarios[@]}"; do [ "${scenarios[$i]}" = "$s" ] && port=$((44301 + i)); done
  [ "$port" -ne 44300 ] || { echo "unknown scenario $s (have: ${scenarios[*]})" >&2; exit 2; }
  name=${s//_/-}
  rm -f "$hs/$name.keys"
  mode=""; [ "$s" = openssl_tls10 ] && mode=pcap
  start_capture "$name" "$port" $mode
  "scenario_$s"
  stop_server
  stop_capture
  extract "$name"
done
rm -rf "$tmp"
