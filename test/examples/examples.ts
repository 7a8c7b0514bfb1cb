/** What the example tests share: where the examples are, and their YAML read as tools read it. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers';

export const EXAMPLES = join(ROOT, 'examples');

/** Every file under `dir` (recursively) whose name passes `keep`, as paths relative to ROOT. */
export function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => relative(ROOT, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

/** All YAML of the project that a deployment tool reads: the examples and the documentation fixtures. */
export function yamlFiles(): string[] {
  const isYaml = (n: string) => /\.ya?ml$/.test(n);
  return [...filesUnder('examples', isYaml), ...filesUnder('fixtures/docs', isYaml)];
}

export interface YamlReport {
  docs: unknown[];
  problems: string[];
}

/**
 * Parses YAML text strictly: every error and warning is a problem, and so is any value
 * that YAML 1.1 (Kubernetes' go-yaml v2, Docker Compose v1) reads differently from YAML
 * 1.2 (Compose v2, this package): `0440` is octal to one and decimal to the other, `yes`
 * a boolean to one and a string to the other.
 */
export function readYaml(text: string): YamlReport {
  const problems: string[] = [];
  const read = (version: '1.1' | '1.2') =>
    parseAllDocuments(text, { version, uniqueKeys: true, prettyErrors: false }).map((d) => {
      for (const e of [...d.errors, ...d.warnings]) problems.push(`YAML ${version}: ${e.message}`);
      return d.toJS({ maxAliasCount: -1 });
    });
  const docs = read('1.2');
  const old = read('1.1');
  if (JSON.stringify(old) !== JSON.stringify(docs)) problems.push('YAML 1.1 and 1.2 read different values');
  return { docs, problems };
}

export function readYamlFile(path: string): YamlReport {
  return readYaml(readFileSync(join(ROOT, path), 'utf8'));
}

/** The one document of a YAML file (throws on problems, so tests read it only when it is clean). */
export function loadYaml<T = Record<string, any>>(path: string): T[] {
  const { docs, problems } = readYamlFile(path);
  if (problems.length > 0) throw new Error(`${path}: ${problems.join('; ')}`);
  return docs as T[];
}

/** The defaults of a shell script's settings, `NAME=${ENV:-default}` or `NAME=${ENV-default}`, by NAME. */
export function shellDefaults(script: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of script.matchAll(/^([A-Z_]+)=\$\{[A-Z_]+:?-([^}]*)\}/gm)) out.set(m[1]!, m[2]!);
  return out;
}
