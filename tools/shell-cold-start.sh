#!/usr/bin/env bash
# Times one cold start with the same containerd commands the harness runs, from a shell, so
# that the harness's phase times can be checked against an independent measurement.
#
# Usage: tools/shell-cold-start.sh IMAGE VARIANT PORT [READINESS_PATH] [TRIGGER_PATH]
#   IMAGE    reference the node pulls, such as 127.0.0.1:5000/nodejs-hello@sha256:...
#   VARIANT  overlayfs (full pull) or estargz / estargz-noopt (lazy pull)
#   PORT     port the function listens on at 127.0.0.1
#
# Needs a running node ('./harness node up') and GNU time (/usr/bin/time). Prints each phase
# in milliseconds as /usr/bin/time reports it (10 ms resolution) and as measured with
# nanosecond timestamps around each command.
set -euo pipefail

if [[ $# -lt 3 ]]; then
    sed -n '2,12p' "$0" >&2
    exit 2
fi

image="$1"
variant="$2"
port="$3"
readiness="${4:-/}"
trigger="${5:-/}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
socket="${HARNESS_RUN_DIR:-/run/harness}/containerd.sock"
ctr=(ctr --address "$socket" --namespace harness)
id="shell-cold-start-$$"

case "$variant" in
    overlayfs) pull=("${ctr[@]}" images pull --plain-http --snapshotter overlayfs "$image")
               snapshotter=overlayfs ;;
    estargz|estargz-noopt)
               pull=(ctr-remote --address "$socket" --namespace harness images rpull
                   --plain-http --snapshotter stargz "$image")
               snapshotter=stargz ;;
    *) echo "unknown variant '$variant': expected overlayfs, estargz-noopt or estargz" >&2
       exit 2 ;;
esac

if [[ ! -x /usr/bin/time ]]; then
    echo "GNU time is missing: apt-get install time" >&2
    exit 2
fi

now_ns() { date +%s%N; }

# Runs a command under /usr/bin/time; prints its elapsed time as GNU time reports it and as
# the difference of two nanosecond timestamps.
timed() {
    local name="$1"
    shift
    local before after reported report
    report=$(mktemp)
    before=$(now_ns)
    /usr/bin/time -f '%e' -o "$report" "$@" >/dev/null 2>&1
    after=$(now_ns)
    reported=$(tail -n 1 "$report")
    rm -f "$report"
    printf '%-15s time %6.0f ms   timestamps %8.1f ms\n' "$name" \
        "$(echo "$reported * 1000" | bc)" "$(echo "($after - $before) / 1000000" | bc -l)"
}

cleanup() {
    "${ctr[@]}" tasks kill --signal SIGKILL "$id" >/dev/null 2>&1 || true
    sleep 0.2
    "${ctr[@]}" tasks delete "$id" >/dev/null 2>&1 || true
    "${ctr[@]}" containers delete "$id" >/dev/null 2>&1 || true
}
trap cleanup EXIT

"$root/harness" node reset >/dev/null

start=$(now_ns)
timed pull "${pull[@]}"
timed create "${ctr[@]}" containers create --snapshotter "$snapshotter" --net-host "$image" "$id"
timed start "${ctr[@]}" tasks start --detach --null-io "$id"

before=$(now_ns)
until curl -sf -o /dev/null "http://127.0.0.1:$port$readiness"; do sleep 0.002; done
after=$(now_ns)
printf '%-15s %28s %8.1f ms\n' ready "timestamps" "$(echo "($after - $before) / 1000000" | bc -l)"

first_byte=$(curl -s -o /dev/null -H 'Connection: close' -w '%{time_starttransfer}' \
    "http://127.0.0.1:$port$trigger")
end=$(now_ns)
printf '%-15s %28s %8.1f ms\n' first_response "curl first byte" \
    "$(echo "$first_byte * 1000" | bc -l)"
printf '%-15s %28s %8.1f ms\n' total "timestamps" "$(echo "($end - $start) / 1000000" | bc -l)"
