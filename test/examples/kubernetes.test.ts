import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { ROOT } from '../helpers';
import { filesUnder, loadYaml, shellDefaults } from './examples';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: any };

const HELM = 'examples/kubernetes/helm';
/** Files that are Kubernetes objects (not Helm values, not a kustomization). */
const manifestFiles = filesUnder('examples/kubernetes', (n) => /\.ya?ml$/.test(n)).filter(
  (f) => !/\/values-[^/]*\.ya?ml$/.test(f) && !f.endsWith('kustomization.yaml'),
);
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

describe('the Helm flow fits together', () => {
  const job = manifests.find(([, m]) => m.kind === 'Job')![1];
  const pod = job.spec.template.spec;
  const mint = readFileSync(join(ROOT, HELM, 'mint.sh'), 'utf8');
  const defaults = shellDefaults(mint);
  const secret = defaults.get('SECRET')!;
  const clients = /^clients="([^"]*)"/m.exec(mint)![1]!.split(' ');
  const charts = JSON.parse(readFileSync(join(ROOT, 'fixtures/helm/influxdb3-charts.json'), 'utf8')).charts;

  test('one namespace for every object, the kustomization included', () => {
    const [kustomization] = loadYaml(`${HELM}/kustomization.yaml`);
    const namespaces = new Set(manifests.map(([, m]) => m.metadata.namespace));
    assert.deepEqual([...namespaces], [kustomization!.namespace]);
    assert.equal(defaults.get('NAMESPACE'), kustomization!.namespace);
  });

  test('the Job runs as the server user, with the ServiceAccount and the script of the kustomization', () => {
    const [kustomization] = loadYaml(`${HELM}/kustomization.yaml`);
    const sa = manifests.find(([, m]) => m.kind === 'ServiceAccount')![1];
    assert.equal(pod.serviceAccountName, sa.metadata.name);
    assert.equal(pod.securityContext.runAsUser, 1500);
    const scriptVolume = pod.volumes.find((v: any) => v.configMap);
    assert.equal(scriptVolume.configMap.name, kustomization!.configMapGenerator[0].name);
    assert.deepEqual(kustomization!.configMapGenerator[0].files, ['mint.sh']);
    const init = pod.initContainers[0];
    const mount = init.volumeMounts.find((v: any) => v.name === scriptVolume.name).mountPath;
    assert.equal(init.command[1], `${mount}/mint.sh`);
  });

  test('the Job reads back the Secret it publishes, and may write exactly the Secrets mint.sh makes', () => {
    const current = pod.volumes.find((v: any) => v.secret);
    assert.equal(current.secret.secretName, secret);
    assert.equal(current.secret.optional, true);
    assert.equal(pod.initContainers[0].env.find((e: any) => e.name === 'SECRET').value, secret);
    const role = manifests.find(([, m]) => m.kind === 'Role')![1];
    const named = role.rules.find((r: any) => r.resourceNames);
    assert.deepEqual(new Set(named.resourceNames), new Set([secret, ...clients.map((c) => `${c}-influxdb3-token`)]));
  });

  test('each values file sets only keys its chart has, and points existingSecret at the Secret', () => {
    for (const [chart, file] of [
      ['influxdb3-core', 'values-core.yaml'],
      ['influxdb3-enterprise', 'values-enterprise.yaml'],
    ] as const) {
      const [values] = loadYaml(`${HELM}/${file}`);
      const paths: string[] = [];
      const walk = (v: any, prefix: string) => {
        if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, (paths.push(prefix + k), `${prefix}${k}.`));
      };
      walk(values, '');
      for (const p of paths) assert.ok(charts[chart].valuesPaths.includes(p), `${file}: ${p} is not a value of ${chart}`);
      for (const kind of ['adminToken', 'permissionTokens']) if (values!.security.auth[kind]) assert.equal(values!.security.auth[kind].existingSecret, secret);
    }
  });

  test("the Secret's keys are the file names the charts mount", () => {
    assert.deepEqual(charts['influxdb3-enterprise'].secretKeys, ['admin-token.json', 'permission-tokens.json']);
    assert.match(mint, /admin="\$work\/files\/admin-token\.json"/);
    assert.match(mint, /perms="\$work\/files\/permission-tokens\.json"/);
  });
});
