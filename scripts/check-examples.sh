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

# Kubernetes: for each flow, mint.sh as the Job runs it (BusyBox sh, uid of the caller),
# then again from the Secret it produced, mounted as the Job mounts it: the second run must
# publish the same Secrets. Then what each Secret holds: the server's, the files' bytes
# under the keys the flow's chart mounts; the clients', what works with that server.
check_kubernetes_script() {
  local flow k kind helm=examples/kubernetes/helm
  for flow in core enterprise; do
    k="$tmp/k8s-$flow"
    mkdir -p "$k/empty" "$k/current"
    TOOL="$CLI" busybox sh "$helm/base/mint.sh" "$helm/$flow/tokens.yaml" "$k/empty" "$k/run1" > "$k/run1.log" 2>&1 ||
      { cat "$k/run1.log"; fail "$flow: mint.sh under BusyBox sh"; }
    local secret="$k/run1/manifests/influxdb3-tokens.yaml"
    [ -f "$secret" ] || fail "$flow: mint.sh wrote no $secret"
    # The Secret volume: one file per key, holding the decoded value.
    node -e '
      const {parse}=require("yaml"),fs=require("fs"),[,src,dir]=process.argv;
      const s=parse(fs.readFileSync(src,"utf8"));
      if (s.kind!=="Secret"||s.metadata.name!=="influxdb3-tokens") throw new Error("not the token Secret");
      if (s.metadata.namespace!==undefined) throw new Error("the Secret names a namespace");
      for (const [k,v] of Object.entries(s.data)) fs.writeFileSync(dir+"/"+k,Buffer.from(v,"base64"));
    ' "$secret" "$k/current" || fail "$flow: the server Secret"
    local keys
    keys=$(cd "$k/current" && ls | tr '\n' ' ')
    [ "$keys" = "$(node -e 'const c=require("./fixtures/helm/influxdb3-charts.json").charts["influxdb3-'"$flow"'"];process.stdout.write(c.secretKeys.join(" ")+" ")')" ] ||
      fail "$flow: the server Secret has the keys $keys, not the ones its chart mounts"
    for key in $keys; do
      cmp -s "$k/current/$key" "$k/run1/files/$key" || fail "$flow: Secret key $key is not the file's exact bytes"
      case $key in admin-token.json) kind=admin ;; *) kind=permission ;; esac
      "$CLI" validate --kind "$kind" "$k/current/$key" > /dev/null 2>&1 || fail "$flow: $key would not load as the $kind file"
    done
    # The clients' Secret: Core's holds the admin token (the only kind Core has), one key;
    # Enterprise's one key per client, each that client's token from the permission file.
    node -e '
      const {parse}=require("yaml"),fs=require("fs"),[,flow,dir]=process.argv;
      const s=parse(fs.readFileSync(dir+"/manifests/influxdb3-client-tokens.yaml","utf8"));
      const data=Object.fromEntries(Object.entries(s.data).map(([k,v])=>[k,Buffer.from(v,"base64").toString()]));
      const admin=JSON.parse(fs.readFileSync(dir+"/files/admin-token.json","utf8")).token;
      let want;
      if (flow==="core") want={INFLUXDB3_AUTH_TOKEN:admin};
      else want=Object.fromEntries(JSON.parse(fs.readFileSync(dir+"/files/permission-tokens.json","utf8")).tokens.map(t=>[t.name,t.token]));
      const sorted=o=>JSON.stringify(Object.entries(o).sort());
      if (sorted(data)!==sorted(want)) throw new Error("the clients Secret holds "+Object.keys(data)+", not "+Object.keys(want));
      if (flow!=="core" && Object.values(data).includes(admin)) throw new Error("a client got the admin token");
    ' "$flow" "$k/run1" || fail "$flow: the clients' Secret"
    TOOL="$CLI" busybox sh "$helm/base/mint.sh" "$helm/$flow/tokens.yaml" "$k/current" "$k/run2" > "$k/run2.log" 2>&1 ||
      { cat "$k/run2.log"; fail "$flow: mint.sh, second run"; }
    for m in "$k"/run1/manifests/*.yaml; do
      cmp -s "$m" "$k/run2/manifests/$(basename "$m")" || fail "$flow: a re-run from the Secret changed $(basename "$m")"
    done
  done
  ok "kubernetes mint.sh under BusyBox sh, Core and Enterprise: the server Secret holds the files its chart mounts, the clients' Secret what works with that server, a re-run from the mounted Secret keeps every token"
}

# kubectl kustomize of each flow: every object in the flow's namespace, the ConfigMaps
# holding mint.sh and the flow's spec byte for byte; and the namespace is one parameter:
# a copy of the flow with another namespace puts every object there.
check_kustomize() {
  if ! command -v kubectl >/dev/null 2>&1; then
    skip "kubectl kustomize: kubectl is not installed (Debian's kubernetes-client 1.20 embeds a kustomize too old for components of ../base; install kubectl 1.21 or later)"
    return
  fi
  local flow out ns
  for flow in core enterprise; do
    cp -R examples/kubernetes/helm "$tmp/helm-$flow"
    sed -i 's/^namespace: .*/namespace: elsewhere/' "$tmp/helm-$flow/$flow/kustomization.yaml"
    for ns in influxdb elsewhere; do
      out="$tmp/kustomized-$flow-$ns.yaml"
      if [ "$ns" = influxdb ]; then
        [ "$(sed -n 's/^namespace: *//p' "examples/kubernetes/helm/$flow/kustomization.yaml")" = influxdb ] || fail "$flow: the kustomization's namespace is not influxdb"
        kubectl kustomize "examples/kubernetes/helm/$flow" > "$out" 2>"$tmp/kustomize.err" || { cat "$tmp/kustomize.err"; fail "kubectl kustomize examples/kubernetes/helm/$flow"; }
      else
        kubectl kustomize "$tmp/helm-$flow/$flow" > "$out" 2>"$tmp/kustomize.err" || { cat "$tmp/kustomize.err"; fail "kubectl kustomize of $flow with another namespace"; }
      fi
      [ -s "$tmp/kustomize.err" ] && { cat "$tmp/kustomize.err"; fail "kubectl kustomize $flow warns"; }
      node -e '
        const {parseAllDocuments}=require("yaml"),fs=require("fs"),[,file,flow,ns]=process.argv;
        const docs=parseAllDocuments(fs.readFileSync(file,"utf8")).map(d=>d.toJS());
        const kinds=docs.map(d=>d.kind).sort().join(",");
        if (kinds!=="ConfigMap,ConfigMap,Job,Role,RoleBinding,ServiceAccount") throw new Error("objects: "+kinds);
        for (const d of docs) if (d.metadata.namespace!==ns) throw new Error(d.kind+" in "+d.metadata.namespace+", not "+ns);
        const binding=docs.find(d=>d.kind==="RoleBinding");
        if (binding.subjects[0].namespace!==ns) throw new Error("the RoleBinding names the ServiceAccount of "+binding.subjects[0].namespace);
        const cm=name=>docs.find(d=>d.kind==="ConfigMap"&&d.metadata.name===name);
        if (cm("influxdb3-tokens-script").data["mint.sh"]!==fs.readFileSync("examples/kubernetes/helm/base/mint.sh","utf8")) throw new Error("the ConfigMap does not hold mint.sh");
        if (cm("influxdb3-tokens-spec").data["tokens.yaml"]!==fs.readFileSync("examples/kubernetes/helm/"+flow+"/tokens.yaml","utf8")) throw new Error("the ConfigMap does not hold the spec");
      ' "$out" "$flow" "$ns" || fail "kustomize output of $flow in namespace $ns"
    done
  done
  ok "kubectl kustomize builds both flows (the Job, its RBAC, mint.sh and the spec) in the kustomization's namespace, and in another one when only that line changes"
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
