#!/usr/bin/env bash
# Converts one tar layer to eStargz twice, with `harness estargz convert` and with the Go
# stargz-snapshotter library's estargz.Build (the code path of `ctr-remote image convert
# --estargz`), at the same gzip level and chunk size, and prints wall time, CPU time, peak
# memory (max RSS from /usr/bin/time -v) and blob size for each. Both blobs are then checked
# with `harness estargz inspect`.
#
# Usage: benchmarks/estargz-vs-go.sh [LAYER.tar]
#   Without LAYER.tar, a layer is made from system folders (about 300 MB on Debian 12).
# Environment: LEVEL (gzip level, default 9), WORK (scratch folder, default
#   /tmp/harness-estargz-bench). Needs golang-go, golang-github-containerd-stargz-snapshotter-dev
#   and the .NET SDK.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${WORK:-/tmp/harness-estargz-bench}"
level="${LEVEL:-9}"
mkdir -p "$work"

layer="${1:-$work/layer.tar}"
if [[ ! -f "$layer" ]]; then
    folders=()
    for folder in usr/lib/python3 usr/lib/python3.11 usr/share/locale \
        usr/lib/x86_64-linux-gnu/perl5; do
        [[ -e "/$folder" ]] && folders+=("$folder")
    done
    echo "making $layer from ${folders[*]}"
    tar -C / -cf "$layer" "${folders[@]}"
fi

echo "building the Go converter and the harness (Release)"
GO111MODULE=off GOPATH="$root/tests/Harness.Tests/EStargz/GoVerifier:/usr/share/gocode" \
    go build -o "$work/estargzbuild" "$root/tests/Harness.Tests/EStargz/GoVerifier/src/estargzbuild"
dotnet build -c Release -v quiet -nologo -o "$work/harness-bin" \
    "$root/src/Harness/Harness.csproj" >/dev/null

measure() {
    local name="$1"
    shift
    local log="$work/$name.time"
    /usr/bin/time -v "$@" >"$work/$name.out" 2>"$log"
    local wall user system rss
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
    user=$(grep 'User time' "$log" | awk '{print $NF}')
    system=$(grep 'System time' "$log" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
    printf '%-8s wall %10s  cpu %8.2f s  max RSS %6d MB  ' \
        "$name" "$wall" "$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')" \
        "$((rss / 1024))"
}

layer_size=$(stat -c %s "$layer")
echo "layer: $layer ($((layer_size / 1000000)) MB), gzip level $level, $(nproc) cores," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"

measure harness "$work/harness-bin/harness" estargz convert --level "$level" "$layer" \
    "$work/harness.esgz"
echo "blob $(stat -c %s "$work/harness.esgz") bytes"
measure go "$work/estargzbuild" -level "$level" "$layer" "$work/go.esgz"
echo "blob $(stat -c %s "$work/go.esgz") bytes"

for blob in harness go; do
    "$work/harness-bin/harness" estargz inspect "$work/$blob.esgz" \
        | sed -n '6p' | sed "s/^/$blob: /"
done
