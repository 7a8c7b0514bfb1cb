#!/bin/sh
# The token service of compose.yaml: mints the stack's tokens once and hands each
# container only its own file. Safe to run again: every token that already exists keeps
# its string (--if-not-exists), so clients keep working; new names are added.
# POSIX sh (BusyBox ash in the image). Set TOKENS_DIR, the owners or TOOL to run it
# elsewhere; an empty owner writes files owned by the caller (no root needed).
set -eu

TOOL=${TOOL:-influxdb3-offline-tokens}
DIR=${TOKENS_DIR:-/secrets}
SERVER_OWNER=${SERVER_OWNER-1500:1500}   # the official InfluxDB 3 image's user
TELEGRAF_OWNER=${TELEGRAF_OWNER-1501:1501} # compose.yaml runs Telegraf as this user
GRAFANA_OWNER=${GRAFANA_OWNER-472:0}       # the Grafana image's user
PERMS="$DIR/server/permission-tokens.json"
ADMIN="$DIR/server/admin-token.json"

umask 077

# Runs the tool with --owner OWNER when OWNER is not empty.
as() {
  owner=$1
  shift
  if [ -n "$owner" ]; then
    "$TOOL" "$@" --owner "$owner"
  else
    "$TOOL" "$@"
  fi
}

as "$SERVER_OWNER" create token --admin --if-not-exists --output-file "$ADMIN"
as "$SERVER_OWNER" create token --if-not-exists --name telegraf \
  --permission "db:sensors:write" --create-databases sensors --expiry 1y \
  --output-file "$PERMS"
as "$SERVER_OWNER" create token --if-not-exists --name grafana \
  --permission "db:sensors:read" --permission "system:health:read" \
  --output-file "$PERMS"

# --if-not-exists keeps a token as it is, expired or not: stop here rather than hand a
# client a dead token (validate --strict fails on warnings, an expired token among them).
for f in "$ADMIN" "$PERMS"; do
  if ! "$TOOL" validate --strict "$f"; then
    echo "error: $f needs attention (above); an expired token must be rotated," \
      "see 'When a token expires' in the README" >&2
    exit 1
  fi
done

# One directory per client, holding only that client's token (file named after it).
as "$TELEGRAF_OWNER" export --file "$PERMS" --format files --token-name telegraf \
  --output "$DIR/telegraf"
as "$GRAFANA_OWNER" export --file "$PERMS" --format files --token-name grafana \
  --output "$DIR/grafana"

echo "tokens ready in $DIR (server/, telegraf/, grafana/)"
