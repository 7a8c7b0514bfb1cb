#!/bin/sh
# Mint (or top up) the tokens from a CI runner that has kubectl access to the cluster and
# influxdb3-offline-tokens installed (npm install -g influxdb3-offline-tokens), instead of
# running the Job:
#   sh examples/kubernetes/helm/base/ci-mint.sh examples/kubernetes/helm/enterprise
# FLOW is ../core or ../enterprise: its tokens.yaml is the spec, and the namespace is the
# one its kustomization.yaml sets. Reads the current Secret back first, so existing tokens
# keep their strings; a failure to read it (other than "not found") stops the run before
# anything is minted.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
flow=${1:?usage: ci-mint.sh FLOW_DIRECTORY}
namespace=$(sed -n 's/^namespace: *//p' "$flow/kustomization.yaml")
[ -n "$namespace" ] || { echo "ci-mint.sh: no namespace in $flow/kustomization.yaml" >&2; exit 2; }
secret=influxdb3-tokens

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 077
mkdir "$tmp/current"

if [ -n "$(kubectl get secret "$secret" -n "$namespace" --ignore-not-found -o name)" ]; then
  for key in admin-token.json permission-tokens.json; do
    escaped=$(printf '%s' "$key" | sed 's/\./\\./g')
    # Two steps, not a pipe: POSIX sh would not see a failed kubectl inside a pipe.
    kubectl get secret "$secret" -n "$namespace" -o "jsonpath={.data.$escaped}" > "$tmp/b64"
    base64 -d < "$tmp/b64" > "$tmp/current/$key"
  done
fi

sh "$here/mint.sh" "$flow/tokens.yaml" "$tmp/current" "$tmp/work"
# Server-side apply: no last-applied annotation holding a second copy of the tokens.
kubectl apply --server-side --field-manager=influxdb3-offline-tokens --force-conflicts \
  -n "$namespace" -f "$tmp/work/manifests/"
