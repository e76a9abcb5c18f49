#!/usr/bin/env bash
# An AFL++ campaign on one SharpFuzz harness (fuzz/SharpTls.Fuzz/Harnesses.cs):
#   scripts/fuzz.sh HARNESS [SECONDS [EXECS]]   HARNESS: records | dissect | sslv2 | server | client
# Stops after SECONDS (default 600) or, if given, after about EXECS executions, whichever comes first.
# FUZZ_INPUT=DIR starts from DIR instead of the committed corpus (a previous campaign's queue, to go on where it stopped).
# Instruments SharpTls.dll, fuzzes from fuzz/corpus/HARNESS, prints executions and paths, and copies any crash to
# fuzz/crashes/HARNESS (the unit tests replay the corpus and every crash). Results go under artifacts/fuzz (ignored by git).
# Run it under `nice -n 19` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
harness=${1:?usage: scripts/fuzz.sh HARNESS [SECONDS]}
seconds=${2:-600}
execs=${3:-}
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
command -v afl-fuzz >/dev/null || { $sudo apt-get update -qq; DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq afl++ >/dev/null; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null

bin=artifacts/fuzz/bin-$harness    # one per harness, so campaigns on different harnesses can run side by side
out=artifacts/fuzz/$harness
rm -rf "$bin" "$out"
dotnet publish fuzz/SharpTls.Fuzz -c Release -o "$bin" -nologo -v quiet
sharpfuzz "$bin/SharpTls.dll" >/dev/null
# ZstdSharp (a managed zstd decoder fed the peer's CompressedCertificate) is instrumented too, so the dissect harness is
# guided inside it; the BCL's zlib and brotli are native code that SharpFuzz cannot instrument (they still run).
sharpfuzz "$bin/ZstdSharp.dll" >/dev/null
# AFL_NO_AFFINITY: without it a third campaign on the 2-core machine refuses to start ("No more free CPU cores").
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
  afl-fuzz -V "$seconds" ${execs:+-E "$execs"} -i "${FUZZ_INPUT:-fuzz/corpus/$harness}" -o "$out" -t 10000 -m none -- dotnet "$bin/SharpTls.Fuzz.dll" "$harness" >"$out.log" 2>&1 || true
stats="$out/default/fuzzer_stats"
[ -f "$stats" ] || { echo "afl-fuzz did not start; see $out.log"; tail -20 "$out.log"; exit 1; }
grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|run_time)' "$stats"
mkdir -p "fuzz/crashes/$harness"
for crash in "$out"/default/crashes/id:*; do
  [ -e "$crash" ] || continue
  cp "$crash" "fuzz/crashes/$harness/$(sha1sum "$crash" | cut -c1-16).bin"
  echo "crash kept: fuzz/crashes/$harness/$(sha1sum "$crash" | cut -c1-16).bin"
done
