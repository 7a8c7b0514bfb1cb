/**
 * export's rules on what is asked (SPEC 12), written once for every way of asking: the
 * export command's flags, an apply spec's outputs, the library's exportTokens. Each value
 * is named by its field as the caller spells it (`spell`: --secret-name, secret_name,
 * secretName), so no flag is named here; a refusal is InvalidInputError.
 */
import { InvalidInputError } from '../errors';
import { envNameProblem } from '../output/env';
import { fileNameProblem } from '../output/files';
import { namespaceProblem, secretKeyProblem, secretNameProblem } from '../output/k8s-secret';
import { type Owner, ownerFrom } from '../store/target';
import { EXPORT_FORMATS, type ExportFormat, type ExportRequest } from './export';

export const DEFAULT_SECRET_NAME = 'influxdb3-tokens';
export const DEFAULT_ENV_PREFIX = 'INFLUXDB3_TOKEN_';

/** An export as asked, before its rules are checked. */
export interface ExportAsk {
  readonly files: readonly string[];
  readonly format: string | undefined;
  readonly tokenNames: readonly string[] | undefined;
  readonly key: string | undefined;
  readonly secretName: string | undefined;
  readonly namespace: string | undefined;
  readonly prefix: string | undefined;
  /** A path; '-' or undefined is the caller's stdout (or the returned text). */
  readonly output: string | undefined;
  /** UID or UID:GID as text, or already numbers. */
  readonly owner: string | Owner | undefined;
  readonly lockTimeoutMs: number;
}

export type ExportField = Exclude<keyof ExportAsk, 'lockTimeoutMs'>;

/** A field that only means something for some formats is refused for the others, not ignored. */
const ONLY_FOR: ReadonlyArray<readonly [ExportField, readonly ExportFormat[]]> = [
  ['secretName', ['k8s-secret']],
  ['namespace', ['k8s-secret']],
  ['prefix', ['env']],
];

export function exportRequestOf(ask: ExportAsk, spell: (field: ExportField) => string): ExportRequest {
  const refuse = (field: ExportField, rest: string): InvalidInputError => new InvalidInputError(spell(field), rest);
  const check = (field: ExportField, value: string, problem: string | undefined, fix: string): void => {
    if (problem) throw refuse(field, ` ${JSON.stringify(value)} is not valid: ${problem}; ${fix}.`);
  };
  const noRepeats = (field: ExportField, values: readonly string[]): void => {
    const twice = values.find((v, i) => values.indexOf(v) !== i);
    if (twice !== undefined) throw refuse(field, ` ${JSON.stringify(twice)} is given twice; give each once.`);
  };
  if (ask.files.length === 0)
    throw refuse('files', ' is required: the token file to export (give two, an admin and a permission tokens file, to export both).');
  noRepeats('files', ask.files);
  if (ask.format === undefined) throw refuse('format', ` is required: one of ${EXPORT_FORMATS.join(', ')}.`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(ask.format)) {
    throw refuse('format', ` ${JSON.stringify(ask.format)} is not an export format; use one of ${EXPORT_FORMATS.join(', ')}.`);
  }
  const format = ask.format as ExportFormat;
  for (const [field, formats] of ONLY_FOR) {
    if (ask[field] !== undefined && !formats.includes(format))
      throw refuse(field, ` only applies to ${spell('format')} ${formats.join(', ')}, not ${format}; remove it.`);
  }
  if (ask.tokenNames) noRepeats('tokenNames', ask.tokenNames);
  if (ask.key !== undefined) {
    if (ask.tokenNames?.length !== 1) throw refuse('key', ` names the key of one token: give exactly one ${spell('tokenNames')} with it.`);
    const problem = { 'k8s-secret': secretKeyProblem, env: envNameProblem, files: fileNameProblem, json: () => undefined }[format](ask.key);
    check('key', ask.key, problem, 'choose another key');
  }
  const secretName = ask.secretName ?? DEFAULT_SECRET_NAME;
  check('secretName', secretName, secretNameProblem(secretName), 'Kubernetes would refuse the Secret');
  if (ask.namespace !== undefined) check('namespace', ask.namespace, namespaceProblem(ask.namespace), 'Kubernetes would refuse it');
  const prefix = ask.prefix ?? DEFAULT_ENV_PREFIX;
  if (prefix !== '') check('prefix', prefix, envNameProblem(prefix), `use letters, digits and "_", or ${spell('prefix')} "" for none`);
  const output = ask.output === '-' ? undefined : ask.output;
  if (format === 'files' && output === undefined) {
    throw refuse('format', ` files writes one file per token: give ${spell('output')} DIR, the directory to write them in.`);
  }
  if (ask.output === '') throw refuse('output', ' is empty; give a path, or - for stdout.');
  if (ask.owner !== undefined && output === undefined)
    throw refuse('owner', ` sets the owner of files written: give ${spell('output')} PATH with it (stdout has no owner).`);
  return {
    files: ask.files,
    format,
    tokenNames: ask.tokenNames,
    key: ask.key,
    secretName,
    namespace: ask.namespace,
    prefix,
    output,
    owner: typeof ask.owner === 'string' ? ownerFrom(ask.owner, spell('owner')) : ask.owner,
    lockTimeoutMs: ask.lockTimeoutMs,
  };
}
