#!/bin/sh
# The token service of compose.yaml: one `apply` of the spec below writes the stack's token
# files and hands each client container only its own token. Safe on every run: a token
# already in the file keeps its string; renew_before adds the next generation (telegraf-2,
# ...) 30 days before the current one expires, and the client's file then carries the new
# string under the same file name. --fail-if-stale stops instead of handing out an expired
# token that nothing renews. POSIX sh (BusyBox ash in the image). Set TOKENS_DIR, the
# owners or TOOL to run it elsewhere; an empty owner writes files owned by the caller.
set -eu

TOOL=${TOOL:-influxdb3-offline-tokens}
DIR=${TOKENS_DIR:-/secrets}
SERVER_OWNER=${SERVER_OWNER-1500:1500}   # the official InfluxDB 3 image's user
TELEGRAF_OWNER=${TELEGRAF_OWNER-1501:1501} # compose.yaml runs Telegraf as this user
GRAFANA_OWNER=${GRAFANA_OWNER-472:0}       # the Grafana image's user
PERMS="$DIR/server/permission-tokens.json"
ADMIN="$DIR/server/admin-token.json"

umask 077

# The spec's owner key for an output (nothing when the owner is empty).
owner() {
  if [ -n "$1" ]; then printf ', owner: "%s"' "$1"; fi
}
# --owner for the token files (nothing when the owner is empty).
set -- apply --fail-if-stale -f -
if [ -n "$SERVER_OWNER" ]; then set -- "$@" --owner "$SERVER_OWNER"; fi

# The tokens of the stack. Add a client: one token and one output (its own directory,
# holding only its token, named after it).
"$TOOL" "$@" <<EOF
admin:
  file: "$ADMIN"
permissions:
  file: "$PERMS"
  create_databases: [sensors]
  renew_before: 30d
  tokens:
    - { name: telegraf, permissions: ["db:sensors:write"], expiry: 1y }
    - { name: grafana, permissions: ["db:sensors:read", "system:health:read"] }
outputs:
  - { format: files, token_names: [telegraf], output: "$DIR/telegraf"$(owner "$TELEGRAF_OWNER") }
  - { format: files, token_names: [grafana], output: "$DIR/grafana"$(owner "$GRAFANA_OWNER") }
EOF

echo "tokens ready in $DIR (server/, telegraf/, grafana/)"
