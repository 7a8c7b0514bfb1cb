#!/bin/sh
# Mint (or top up) the tokens from a CI runner that has kubectl access to the cluster and
# influxdb3-offline-tokens installed (npm install -g influxdb3-offline-tokens).
#   NAMESPACE=influxdb examples/kubernetes/helm/ci-mint.sh
# Reads the current Secret back first, so existing tokens keep their strings; a failure
# to read it (other than "not found") stops the run before anything is minted.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
NAMESPACE=${NAMESPACE:-influxdb}
SECRET=${SECRET:-influxdb3-tokens}
export NAMESPACE SECRET

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 077
mkdir "$tmp/current"

if [ -n "$(kubectl get secret "$SECRET" -n "$NAMESPACE" --ignore-not-found -o name)" ]; then
  for key in admin-token.json permission-tokens.json; do
    escaped=$(printf '%s' "$key" | sed 's/\./\\./g')
    # Two steps, not a pipe: POSIX sh would not see a failed kubectl inside a pipe.
    kubectl get secret "$SECRET" -n "$NAMESPACE" -o "jsonpath={.data.$escaped}" > "$tmp/b64"
    base64 -d < "$tmp/b64" > "$tmp/current/$key"
  done
fi

sh "$here/mint.sh" "$tmp/current" "$tmp/work"
# Server-side apply: no last-applied annotation holding a second copy of the tokens.
kubectl apply --server-side --field-manager=influxdb3-offline-tokens --force-conflicts \
  -f "$tmp/work/manifests/"
