#!/usr/bin/env bash
# The slower checks of examples/ and of the packaging, with the real tools where they
# run offline: Docker Compose's own `config`; BusyBox sh running the token scripts with
# the real CLI (twice: a re-run must keep every token); `kubectl kustomize`; the
# Dockerfile's steps without an engine (build, pack, install the tarball offline, run it
# as uid 1500); `npm install -g .` on a fresh clone. A missing tool is installed with
# apt-get when this runs as root on Debian; otherwise its check is skipped, with the
# reason printed. Needs a built CLI (npm ci). Run: npm run check-examples
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
CLI="$root/bin/influxdb3-offline-tokens.cjs"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
skipped=0

ok() { echo "ok: $*"; passed=$((passed + 1)); }
skip() { echo "SKIP: $*"; skipped=$((skipped + 1)); }
fail() { echo "FAIL: $*" >&2; exit 1; }

# have COMMAND DEBIAN_PACKAGE: true when COMMAND exists, after installing the package if
# it is missing and apt-get can be used.
apt_updated=
have() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    if [ -z "$apt_updated" ]; then apt-get update -qq >/dev/null 2>&1 || true; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1 || true
  fi
  command -v "$1" >/dev/null 2>&1
}

# The CLI commands the scripts use; `export` and `--owner` arrive with the exports work.

yaml_get() { # yaml_get FILE JS-EXPRESSION-ON-doc: prints the expression's value
  node -e 'const {parse}=require("yaml");const doc=parse(require("fs").readFileSync(process.argv[1],"utf8"));const v=('"$2"');process.stdout.write(typeof v==="string"?v:JSON.stringify(v))' "$1"
}

check_compose_config() {
  if ! have docker-compose docker-compose; then
    skip "docker-compose config: docker-compose is not installed and apt-get cannot install it here"
    return
  fi
  for f in examples/compose/compose.yaml fixtures/docs/docker-compose.yml; do
    (cd "$(dirname "$f")" && docker-compose -f "$(basename "$f")" config -q) || fail "docker-compose config $f"
  done
  ok "docker-compose config accepts examples/compose/compose.yaml and fixtures/docs/docker-compose.yml"
}

# Compose's token service: runs mint-tokens.sh under BusyBox sh as compose.yaml does, into
# a stand-in for ./secrets, then checks what each service would be handed.
check_compose_script() {
  local dir="$tmp/compose" secrets="$tmp/compose/secrets" owners=()
  mkdir -p "$secrets"
  # As root the files get the owners compose.yaml's services run as; otherwise the caller's.
  if [ "$(id -u)" != 0 ]; then owners=(SERVER_OWNER= TELEGRAF_OWNER= GRAFANA_OWNER=); fi
  run() { env TOOL="$CLI" TOKENS_DIR="$secrets" "${owners[@]}" busybox sh examples/compose/mint-tokens.sh; }
  run > "$dir/first.log" 2>&1 || { cat "$dir/first.log"; fail "mint-tokens.sh under BusyBox sh"; }
  (cd "$secrets" && find . -type f | sort | xargs sha256sum) > "$dir/first.sum"

  local names
  names=$(yaml_get examples/compose/compose.yaml 'Object.keys(doc.secrets).join(" ")')
  for name in $names; do
    local file owner reader token
    file=$(yaml_get examples/compose/compose.yaml "doc.secrets['$name'].file")
    file="$secrets/${file#./secrets/}"
    [ -f "$file" ] || fail "compose secret $name: $file was not written"
    [ "$(stat -L -c %a "$file")" = 600 ] || fail "compose secret $name: mode $(stat -L -c %a "$file")"
    reader=$(yaml_get examples/compose/compose.yaml "Object.keys(doc.services).find(s=>(doc.services[s].secrets||[]).some(x=>(x.source||x)==='$name'))")
    if [ "$(id -u)" = 0 ]; then
      owner=$(yaml_get examples/compose/compose.yaml "doc.services['$reader'].user")
      [ "$(stat -L -c %u:%g "$file")" = "$owner" ] || fail "compose secret $name: owner $(stat -L -c %u:%g "$file"), $reader runs as $owner"
    fi
    if [ "$reader" != influxdb3 ]; then
      token=$(node -e 'const t=JSON.parse(require("fs").readFileSync(process.argv[1])).tokens.find(t=>t.name===process.argv[2]);process.stdout.write(t.token)' "$secrets/server/permission-tokens.json" "$reader")
      [ "$(cat "$file")" = "$token" ] || fail "compose secret $name does not hold the $reader token"
      [ "$(wc -l < "$file")" = 1 ] || fail "compose secret $name: not one line"
    fi
  done

  run > "$dir/second.log" 2>&1 || { cat "$dir/second.log"; fail "mint-tokens.sh, second run"; }
  (cd "$secrets" && find . -type f | sort | xargs sha256sum) > "$dir/second.sum"
  cmp -s "$dir/first.sum" "$dir/second.sum" || fail "a second run of mint-tokens.sh changed the files"

  # A token that has expired is renewed (renew_before): the next generation is added and
  # the client's file carries its string under the same name.
  node -e 'const f=process.argv[1],fs=require("fs"),d=JSON.parse(fs.readFileSync(f));d.tokens.find(t=>t.name==="telegraf").expiry_millis=Date.now()-1000;fs.writeFileSync(f,JSON.stringify(d,null,2)+"\n")' "$secrets/server/permission-tokens.json"
  run > "$dir/expired.log" 2>&1 || { cat "$dir/expired.log"; fail "mint-tokens.sh did not renew an expired token"; }
  grep -q 'renew .*"telegraf-2"' "$dir/expired.log" || { cat "$dir/expired.log"; fail "the renewal was not named"; }
  token=$(node -e 'const t=JSON.parse(require("fs").readFileSync(process.argv[1])).tokens.find(t=>t.name==="telegraf-2");process.stdout.write(t.token)' "$secrets/server/permission-tokens.json")
  [ "$(cat "$secrets/telegraf/telegraf")" = "$token" ] || fail "the telegraf secret does not hold the renewed token"
  ok "compose token service under BusyBox sh: each secret file written for its reader, a re-run changes no byte, an expired token is renewed and handed out"
}

# Kubernetes: mint.sh as the Job runs it (BusyBox sh, uid of the caller), then again from
# the Secret it produced, mounted as the Job mounts it: the second Secret must be the same.
check_kubernetes_script() {
  local k="$tmp/k8s"
  mkdir -p "$k/empty" "$k/current"
  TOOL="$CLI" busybox sh examples/kubernetes/helm/mint.sh "$k/empty" "$k/run1" > "$k/run1.log" 2>&1 ||
    { cat "$k/run1.log"; fail "mint.sh under BusyBox sh"; }
  local secret="$k/run1/manifests/influxdb3-tokens.yaml"
  [ -f "$secret" ] || fail "mint.sh wrote no $secret"
  # The Secret volume: one file per key, holding the decoded value.
  node -e '
    const {parse}=require("yaml"),fs=require("fs"),[,src,dir]=process.argv;
    const s=parse(fs.readFileSync(src,"utf8"));
    if (s.kind!=="Secret"||s.metadata.name!=="influxdb3-tokens") throw new Error("not the token Secret");
    for (const [k,v] of Object.entries(s.data)) fs.writeFileSync(dir+"/"+k,Buffer.from(v,"base64"));
  ' "$secret" "$k/current"
  for key in admin-token.json permission-tokens.json; do
    cmp -s "$k/current/$key" "$k/run1/files/$key" || fail "Secret key $key is not the file's exact bytes"
  done
  TOOL="$CLI" busybox sh examples/kubernetes/helm/mint.sh "$k/current" "$k/run2" > "$k/run2.log" 2>&1 ||
    { cat "$k/run2.log"; fail "mint.sh, second run"; }
  for m in "$k"/run1/manifests/*.yaml; do
    cmp -s "$m" "$k/run2/manifests/$(basename "$m")" || fail "a re-run from the Secret changed $(basename "$m")"
  done
  ok "kubernetes mint.sh under BusyBox sh: the Secret holds the files' bytes, a re-run from the mounted Secret keeps every token"
}

check_kustomize() {
  if ! command -v kubectl >/dev/null 2>&1; then
    skip "kubectl kustomize: kubectl is not installed (Debian has no package for it)"
    return
  fi
  kubectl kustomize examples/kubernetes/helm > "$tmp/kustomized.yaml" || fail "kubectl kustomize examples/kubernetes/helm"
  node -e '
    const {parseAllDocuments}=require("yaml"),fs=require("fs");
    const docs=parseAllDocuments(fs.readFileSync(process.argv[1],"utf8")).map(d=>d.toJS());
    const cm=docs.find(d=>d.kind==="ConfigMap");
    if (!cm || cm.data["mint.sh"]!==fs.readFileSync("examples/kubernetes/helm/mint.sh","utf8")) throw new Error("the ConfigMap does not hold mint.sh");
  ' "$tmp/kustomized.yaml" || fail "kustomize output"
  ok "kubectl kustomize builds the token Job's RBAC and the ConfigMap holding mint.sh"
}

# The Dockerfile's steps without an engine: the build context it copies, npm ci, build,
# pack, install the tarball offline into a fresh prefix, run it as uid 1500.
check_image_steps() {
  local img="$tmp/image" src
  mkdir -p "$img/src"
  for src in $(awk '/^COPY / && !/--from/ { for (i = 2; i < NF; i++) print $i }' Dockerfile); do
    cp -R "$src" "$img/src/"
  done
  (cd "$img/src" && npm ci --ignore-scripts --no-audit --no-fund > "$img/ci.log" 2>&1 &&
    node scripts/build.mjs > "$img/build.log" 2>&1 &&
    npm pack --ignore-scripts --pack-destination "$img" > "$img/pack.log" 2>&1) ||
    { cat "$img"/*.log; fail "the Dockerfile's build stage"; }
  npm install -g --offline --no-audit --no-fund --prefix "$img/root" "$img"/influxdb3-offline-tokens-*.tgz > "$img/install.log" 2>&1 ||
    { cat "$img/install.log"; fail "npm install -g --offline of the tarball"; }
  local bin="$img/root/bin/influxdb3-offline-tokens"
  if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    chmod 755 "$tmp" "$img"
    mkdir -m 700 "$img/tokens" && chown 1500:1500 "$img/tokens"
    setpriv --reuid 1500 --regid 1500 --clear-groups env HOME=/nonexistent \
      "$bin" create token --admin --output-file "$img/tokens/admin-token.json" > /dev/null ||
      fail "the installed tool as uid 1500"
    [ "$(stat -c %u:%a "$img/tokens/admin-token.json")" = 1500:600 ] || fail "uid 1500 wrote $(stat -c %u:%a "$img/tokens/admin-token.json")"
    ok "Dockerfile steps: built, packed, installed offline from the tarball, run as uid 1500 (file 1500, 0600)"
  else
    "$bin" --version > /dev/null || fail "the installed tool"
    ok "Dockerfile steps: built, packed, installed offline from the tarball (not run as uid 1500: needs root and setpriv)"
  fi
}

# `npm ci && npm install -g .` on a fresh clone (no node_modules, no dist): the README's
# install line. npm ci builds dist/ (the `dependencies` script, which runs in a clone only:
# the published package has no install-time script); the global install links that build.
check_global_install_from_clone() {
  local c="$tmp/clone"
  git clone -q "$root" "$c/src" || fail "git clone of this repository"
  (cd "$c/src" && npm ci --no-audit --no-fund && npm install -g --prefix "$c/prefix" --no-audit --no-fund . > "$c/install.log" 2>&1) ||
    { cat "$c/install.log"; fail "npm install -g . on a fresh clone"; }
  "$c/prefix/bin/influxdb3-offline-tokens" create token --admin --output-file "$c/admin-token.json" > /dev/null ||
    fail "the tool installed by npm install -g ."
  ok "npm ci && npm install -g . on a fresh clone builds and installs a working command"
}

[ -f dist/app.cjs ] || fail "no dist/app.cjs: run npm ci or npm run build first"
check_compose_config
if ! have busybox busybox; then
  skip "token scripts under BusyBox sh: busybox is not installed and apt-get cannot install it here"
  skip "kubernetes mint.sh under BusyBox sh: as above"
else
  check_compose_script
  check_kubernetes_script
fi
check_kustomize
check_image_steps
check_global_install_from_clone
echo "check-examples: $passed passed, 0 failed, $skipped skipped"
