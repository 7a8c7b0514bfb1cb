import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { desiredState } from '../../src/domain/spec';
import { ROOT } from '../helpers';
import { filesUnder, loadYaml } from './examples';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: any };

const HELM = 'examples/kubernetes/helm';
/** Files that are Kubernetes objects (not Helm values, not a kustomization, not a spec). */
const manifestFiles = filesUnder('examples/kubernetes', (n) => /\.ya?ml$/.test(n) && !['values.yaml', 'kustomization.yaml', 'tokens.yaml'].includes(n));
const manifests: [string, Manifest][] = manifestFiles.flatMap((f) => loadYaml<Manifest>(f).map((m) => [f, m] as [string, Manifest]));

/** `group/version` -> the module paths of kubernetes-models and kubernetes-types. */
function modules(apiVersion: string): { models: string; types: string } {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return {
    models: `kubernetes-models/${group ? `${group}/` : ''}${version}`,
    types: `kubernetes-types/${group ? group.split('.')[0] : 'core'}/${version}`,
  };
}

describe('Kubernetes manifests against the Kubernetes OpenAPI schema (kubernetes-models)', () => {
  test('there are manifests to check', () => assert.ok(manifests.length >= 6));
  for (const [file, m] of manifests) {
    test(`${file}: ${m.kind}/${m.metadata?.name}`, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Model = require(`${modules(m.apiVersion).models}/${m.kind}`)[m.kind];
      assert.doesNotThrow(() => new Model(m).validate());
    });
  }
});

/**
 * The OpenAPI schema lets unknown fields through (a misspelt `volumeMount` would pass);
 * TypeScript's excess-property check on the same objects typed with kubernetes-types
 * does not.
 */
function unknownFieldErrors(docs: readonly Manifest[]): string[] {
  const file = join(ROOT, 'test', '__k8s_manifests__.ts');
  const source = docs
    .map((m, i) => `import type * as m${i} from '${modules(m.apiVersion).types}';\nexport const d${i}: m${i}.${m.kind} = ${JSON.stringify(m)};`)
    .join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    lib: ['lib.es5.d.ts'],
    types: [],
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, lang, ...rest) => (name === file ? ts.createSourceFile(name, source, lang) : getSourceFile.call(host, name, lang, ...rest));
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? source : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

describe('Kubernetes manifests have no field that Kubernetes does not know (kubernetes-types)', () => {
  test('every manifest', () => assert.deepEqual(unknownFieldErrors(manifests.map(([, m]) => m)), []));
  test('the check finds a misspelt field and a wrong type', () => {
    const job = structuredClone(manifests.find(([, m]) => m.kind === 'Job')![1]);
    job.spec.template.spec.initContainers[0].volumeMount = [];
    job.spec.backoffLimit = 'none';
    const errors = unknownFieldErrors([job]);
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors.join('\n'), /volumeMount/);
  });
});

const FLOWS = ['core', 'enterprise'] as const;
const CHART = { core: 'influxdb3-core', enterprise: 'influxdb3-enterprise' } as const;
type Output = { format: string; secret_name?: string; namespace?: string; token_names?: string[]; key?: string; output?: string };
type Spec = { admin?: { file: string }; permissions?: { file: string; tokens: { name: string }[] }; outputs: Output[] };
const spec = (flow: string): Spec => loadYaml<Spec>(`${HELM}/${flow}/tokens.yaml`)[0]!;
/** The server's Secret: the k8s-secret output of the files themselves (no token_names). */
const serverOutput = (s: Spec): Output => s.outputs.find((o) => o.format === 'k8s-secret' && !o.token_names)!;
const clientOutputs = (s: Spec): Output[] => s.outputs.filter((o) => o.token_names);

describe('the Helm flows fit together', () => {
  const job = manifests.find(([f, m]) => f.startsWith(`${HELM}/base/`) && m.kind === 'Job')![1];
  const pod = job.spec.template.spec;
  const [base] = loadYaml(`${HELM}/base/kustomization.yaml`);
  const charts = JSON.parse(readFileSync(join(ROOT, 'fixtures/helm/influxdb3-charts.json'), 'utf8')).charts;

  test("the namespace is one parameter: set in each flow's kustomization.yaml, named nowhere else", () => {
    for (const flow of FLOWS) {
      const [k] = loadYaml(`${HELM}/${flow}/kustomization.yaml`);
      assert.equal(typeof k!.namespace, 'string', flow);
      assert.deepEqual(k!.resources, ['../base']);
      for (const o of spec(flow).outputs) assert.equal(o.namespace, undefined, `${flow}/tokens.yaml names a namespace`);
    }
    assert.equal(base!.namespace, undefined);
    for (const [file, m] of manifests.filter(([f]) => f.startsWith(`${HELM}/`))) {
      assert.equal(m.metadata.namespace, undefined, `${file}: ${m.kind}`);
      for (const subject of m.subjects ?? []) assert.equal(subject.namespace, undefined, `${file}: ${m.kind} subject`);
    }
    // The scripts take it from the kustomization (ci-mint.sh) or from the pod (the Job).
    for (const f of filesUnder(HELM, (n) => n.endsWith('.sh'))) assert.doesNotMatch(readFileSync(join(ROOT, f), 'utf8'), /influxdb\b(?!3)|NAMESPACE=/, f);
    const apply = pod.containers[0];
    assert.deepEqual(apply.env.find((e: any) => e.name === 'POD_NAMESPACE').valueFrom, { fieldRef: { fieldPath: 'metadata.namespace' } });
  });

  test('each spec is one that apply accepts', () => {
    for (const flow of FLOWS) {
      const result = desiredState(spec(flow), Date.now());
      assert.ok(result.ok, `${flow}/tokens.yaml: ${JSON.stringify(result.ok ? '' : result.problems)}`);
    }
  });

  test("the Job runs as the server user, with the ServiceAccount, the script and the flow's spec", () => {
    const sa = manifests.find(([, m]) => m.kind === 'ServiceAccount')![1];
    assert.equal(pod.serviceAccountName, sa.metadata.name);
    assert.equal(pod.securityContext.runAsUser, 1500);
    const volume = (configMap: string) => pod.volumes.find((v: any) => v.configMap?.name === configMap);
    const init = pod.initContainers[0];
    const mountOf = (name: string) => init.volumeMounts.find((v: any) => v.name === name).mountPath;
    assert.deepEqual(base!.configMapGenerator[0].files, ['mint.sh']);
    const script = volume(base!.configMapGenerator[0].name);
    for (const flow of FLOWS) {
      const [k] = loadYaml(`${HELM}/${flow}/kustomization.yaml`);
      assert.deepEqual(k!.configMapGenerator[0].files, ['tokens.yaml'], flow);
      const specVolume = volume(k!.configMapGenerator[0].name);
      assert.ok(specVolume, `${flow}: the Job mounts no ConfigMap ${k!.configMapGenerator[0].name}`);
      assert.deepEqual(init.command.slice(1, 3), [`${mountOf(script.name)}/mint.sh`, `${mountOf(specVolume.name)}/tokens.yaml`]);
    }
  });

  test('the Job reads back the Secret it publishes, and may write exactly the Secrets of each spec', () => {
    const current = pod.volumes.find((v: any) => v.secret);
    assert.equal(current.secret.optional, true);
    const role = manifests.find(([, m]) => m.kind === 'Role')![1];
    const named = new Set(role.rules.find((r: any) => r.resourceNames).resourceNames);
    for (const flow of FLOWS) {
      const s = spec(flow);
      assert.equal(serverOutput(s).secret_name, current.secret.secretName, flow);
      assert.deepEqual(new Set(s.outputs.map((o) => o.secret_name)), named, flow);
      for (const o of s.outputs) assert.match(o.output!, /^manifests\/[\w-]+\.yaml$/, flow);
    }
  });

  test("the server's Secret holds the files its chart mounts, under the keys the chart reads", () => {
    for (const flow of FLOWS) {
      const s = spec(flow);
      const files = [s.admin?.file, s.permissions?.file].filter((f): f is string => f !== undefined);
      const keys = files.map((f) => f.replace(/^files\//, ''));
      assert.deepEqual(
        files,
        keys.map((k) => `files/${k}`),
        `${flow}: the token files are under files/, where mint.sh puts the Secret's keys back`,
      );
      assert.deepEqual(keys.sort(), charts[CHART[flow]].secretKeys, flow);
    }
    // Core loads the admin token file only: its spec mints nothing else.
    assert.deepEqual(charts['influxdb3-core'].secretKeys, ['admin-token.json']);
    assert.equal(spec('core').permissions, undefined);
  });

  test('clients get what works with their server, in one Secret made from the spec', () => {
    // Core has no permission tokens: its clients get the admin token.
    const [core] = clientOutputs(spec('core'));
    assert.deepEqual(core!.token_names, ['_admin']);
    // Enterprise: every token of the spec is a client's, one key each; nothing else.
    const enterprise = spec('enterprise');
    const clients = clientOutputs(enterprise);
    assert.equal(clients.length, 1);
    assert.deepEqual(
      clients[0]!.token_names,
      enterprise.permissions!.tokens.map((t) => t.name),
    );
    assert.equal(clients[0]!.key, undefined);
  });

  test('each values file sets only keys its chart has, points existingSecret at the Secret, and gives a store that needs no credentials', () => {
    for (const flow of FLOWS) {
      const chart = CHART[flow];
      const [values] = loadYaml(`${HELM}/${flow}/values.yaml`);
      const paths: string[] = [];
      const walk = (v: any, prefix: string) => {
        if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, (paths.push(prefix + k), `${prefix}${k}.`));
      };
      walk(values, '');
      for (const p of paths) assert.ok(charts[chart].valuesPaths.includes(p), `${flow}/values.yaml: ${p} is not a value of ${chart}`);
      const server = serverOutput(spec(flow)).secret_name;
      assert.equal(values!.security.auth.adminToken.existingSecret, server);
      if (flow === 'enterprise') assert.equal(values!.security.auth.permissionTokens.existingSecret, server);
      // The charts default to S3, which needs a bucket and credentials.
      assert.equal(charts[chart].objectStorageDefault, 's3');
      assert.ok(charts[chart].objectStorageTypes.includes(values!.objectStorage.type));
      assert.equal(values!.objectStorage.type, 'file', `${flow}/values.yaml: a trial store without credentials`);
      assert.ok(values!.objectStorage.file.persistence.size);
    }
  });
});
