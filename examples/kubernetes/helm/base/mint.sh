#!/bin/sh
# Mints the InfluxDB 3 tokens of a spec and writes the Secret manifests that hold them.
#   mint.sh SPEC CURRENT_DIR WORK_DIR
# SPEC is a flow's tokens.yaml (../core/ or ../enterprise/): the tokens and the Secrets
# made from them. CURRENT_DIR holds the token files as they are in the cluster now (the
# keys of the server's Secret; empty or missing on the first run). Every token found there
# keeps its string (apply), so a re-run never mints a new string under a name the server
# already knows. WORK_DIR receives the spec, files/ (the token files) and manifests/ (the
# Secrets), which the spec names relative to itself.
# Used by job.yaml (inside the cluster) and ci-mint.sh (from a CI runner).
# POSIX sh: runs under BusyBox ash in the tool's image.
set -eu

TOOL=${TOOL:-influxdb3-offline-tokens}
spec=$1
current=$2
work=$3

umask 077
mkdir -p "$work/files" "$work/manifests"
cp "$spec" "$work/tokens.yaml"

for key in admin-token.json permission-tokens.json; do
  if [ -s "$current/$key" ]; then
    cat "$current/$key" > "$work/files/$key"
  fi
done

# One apply: a token already in the files keeps its string; renew_before adds the next
# generation before the current one expires, and the client's Secret then carries the new
# string under the same key. --fail-if-stale stops the run, with nothing published, rather
# than hand out an expired token that nothing renews.
"$TOOL" apply --fail-if-stale -f "$work/tokens.yaml"
echo "manifests ready in $work/manifests"
