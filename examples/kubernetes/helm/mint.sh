#!/bin/sh
# Mints the InfluxDB 3 tokens and writes the Secret manifests that hold them.
#   mint.sh CURRENT_DIR WORK_DIR
# CURRENT_DIR holds the token files as they are in the cluster now (the keys of the
# influxdb3-tokens Secret; empty or missing on the first run). Every token found there
# keeps its string (apply), so a re-run never mints a new string under a name the server
# already knows. WORK_DIR receives files/ (the token files) and manifests/
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

# The tokens of this deployment and the Secrets made from them, in one `apply`: a token
# already in the files keeps its string; renew_before adds the next generation
# (telegraf-2, ...) 30 days before the current one expires, and the client's Secret then
# carries the new string under the same key. --fail-if-stale stops the run, with nothing
# published, rather than hand out an expired token that nothing renews.
# Add a client: one token, one output, and its name in clients (the Job's Role lists the
# Secrets it may write).
clients="telegraf grafana"
"$TOOL" apply --fail-if-stale -f - <<EOF
admin:
  file: "$admin"
permissions:
  file: "$perms"
  create_databases: [metrics]
  renew_before: 30d
  tokens:
    - { name: telegraf, permissions: ["db:metrics:write"], expiry: 1y }
    - { name: grafana, permissions: ["db:metrics:read", "system:health:read"], expiry: 1y }
outputs:
  # The server's Secret: keys admin-token.json and permission-tokens.json, the files'
  # exact bytes, as the official charts' existingSecret expects.
  - { format: k8s-secret, secret_name: "$SECRET", namespace: "$NAMESPACE", output: "$work/manifests/$SECRET.yaml" }
  # One Secret per client, holding only that client's current token.
  - { format: k8s-secret, token_names: [telegraf], key: INFLUXDB3_AUTH_TOKEN, secret_name: telegraf-influxdb3-token, namespace: "$NAMESPACE", output: "$work/manifests/telegraf-influxdb3-token.yaml" }
  - { format: k8s-secret, token_names: [grafana], key: INFLUXDB3_AUTH_TOKEN, secret_name: grafana-influxdb3-token, namespace: "$NAMESPACE", output: "$work/manifests/grafana-influxdb3-token.yaml" }
EOF
echo "manifests ready in $work/manifests (the server's Secret, and one for each of: $clients)"
