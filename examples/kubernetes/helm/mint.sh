#!/bin/sh
# Mints the InfluxDB 3 tokens and writes the Secret manifests that hold them.
#   mint.sh CURRENT_DIR WORK_DIR
# CURRENT_DIR holds the token files as they are in the cluster now (the keys of the
# influxdb3-tokens Secret; empty or missing on the first run). Every token found there
# keeps its string (--if-not-exists), so a re-run never mints a new string under a name
# the server already knows. WORK_DIR receives files/ (the token files) and manifests/
# (one Secret for the server, one per client holding only that client's token).
# Used by tokens-job.yaml (inside the cluster) and ci-mint.sh (from a CI runner).
# POSIX sh: runs under BusyBox ash in the tool's image.
set -eu

TOOL=${TOOL:-influxdb3-offline-tokens}
NAMESPACE=${NAMESPACE:-influxdb}
SECRET=${SECRET:-influxdb3-tokens}
current=$1
work=$2

umask 077
mkdir -p "$work/files" "$work/manifests"
admin="$work/files/admin-token.json"
perms="$work/files/permission-tokens.json"

for key in admin-token.json permission-tokens.json; do
  if [ -s "$current/$key" ]; then
    cat "$current/$key" > "$work/files/$key"
  fi
done

# The tokens of this deployment. Add a client: one create line and its name below.
"$TOOL" create token --admin --if-not-exists --output-file "$admin"
"$TOOL" create token --if-not-exists --name telegraf \
  --permission "db:metrics:write" --create-databases metrics \
  --output-file "$perms"
"$TOOL" create token --if-not-exists --name grafana \
  --permission "db:metrics:read" --permission "system:health:read" \
  --output-file "$perms"
clients="telegraf grafana"

# A kept token is kept as it is, expired or not: fail loudly instead of re-publishing it.
for f in "$admin" "$perms"; do
  if ! "$TOOL" validate --strict "$f"; then
    echo "error: $f needs attention (above); nothing was published." \
      "An expired token must be rotated: see 'When a token expires' in the README" >&2
    exit 1
  fi
done

# The server's Secret: keys admin-token.json and permission-tokens.json, the files'
# exact bytes, as the official charts' existingSecret expects.
"$TOOL" export --file "$admin" --file "$perms" --format k8s-secret \
  --secret-name "$SECRET" --namespace "$NAMESPACE" \
  --output "$work/manifests/$SECRET.yaml"
for client in $clients; do
  "$TOOL" export --file "$perms" --format k8s-secret --token-name "$client" \
    --key INFLUXDB3_AUTH_TOKEN --secret-name "$client-influxdb3-token" \
    --namespace "$NAMESPACE" --output "$work/manifests/$client-influxdb3-token.yaml"
done
echo "manifests ready in $work/manifests"
