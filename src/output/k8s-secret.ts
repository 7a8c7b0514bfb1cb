/**
 * A Kubernetes Secret manifest, byte for byte what `kubectl create secret generic --type=Opaque
 * ... --dry-run=client -o yaml` prints (fixtures/kubectl holds kubectl's own answers).
 *
 * kubectl marshals the object to JSON and re-emits it with its go-yaml v2 fork, so the rules
 * below are that library's: map keys in its "natural" order, and a string scalar written
 * plain unless YAML 1.1 would read it as something else (then double-quoted) or the emitter
 * cannot write it plain (then single-quoted); a key longer than 128 characters is written in
 * the explicit `? key` form. Names, namespaces and keys are validated to kubectl's alphabet
 * first, so only the cases that alphabet can reach are handled here.
 */

export interface SecretManifest {
  readonly name: string;
  readonly namespace?: string | undefined;
  readonly data: ReadonlyArray<{ readonly key: string; readonly value: string }>;
}

const YAML11_NON_STRINGS = new Set(
  [
    'y Y yes Yes YES on On ON true True TRUE',
    'n N no No NO off Off OFF false False FALSE',
    '~ null Null NULL',
    '.nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF <<',
  ].flatMap((s) => s.split(' ')),
);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;

/** Go's strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) succeeds. */
function goParsesAsInteger(s: string): boolean {
  const m = GO_INT.exec(s);
  if (!m) return false;
  const [, sign, hex, oct, bin, leadingZeroOct, dec] = m;
  const digits =
    hex !== undefined
      ? `0x${hex}`
      : oct !== undefined
        ? `0o${oct}`
        : bin !== undefined
          ? `0b${bin}`
          : leadingZeroOct !== undefined
            ? `0o${leadingZeroOct || '0'}`
            : dec!;
  const v = BigInt(digits);
  if (sign === '-') return v <= INT64_MAX + 1n;
  return v <= (sign === '+' ? INT64_MAX : UINT64_MAX);
}

/** A YYYY-M-D date that Go's time.Parse("2006-1-2") accepts (the only timestamp form without ':' or ' '). */
function isGoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

/** go-yaml v2 `resolve`: would a plain scalar with this text be read as anything but a string? */
function readsAsNonString(s: string): boolean {
  if (s === '' || YAML11_NON_STRINGS.has(s)) return true;
  const first = s[0]!;
  if (first === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) && Number.isFinite(Number(s));
  if (!/[-+0-9]/.test(first)) return false;
  if (isGoDate(s)) return true;
  const plain = s.replace(/_/g, '');
  if (goParsesAsInteger(plain)) return true;
  // Go's ParseFloat fails on overflow (1e400), so such a number stays a string.
  return YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain));
}

/** The emitter's own refusals of a plain scalar, for the characters a validated name can hold. */
function plainNotAllowed(s: string): boolean {
  return s === '-' || s.startsWith('---') || s.startsWith('...');
}

function scalar(s: string): string {
  if (readsAsNonString(s)) return `"${s}"`;
  if (plainNotAllowed(s)) return `'${s}'`;
  return s;
}

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** go-yaml v2's keyList.Less for string keys: letters after other characters, digit runs by value. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10n + BigInt(ar[ai]!.charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10n + BigInt(br[bi]!.charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

/** A simple key is at most 128 characters; a longer one takes the explicit `? key` form. */
function mappingEntry(indent: string, key: string, value: string): string {
  return key.length > 128 ? `${indent}? ${scalar(key)}\n${indent}: ${value}\n` : `${indent}${scalar(key)}: ${value}\n`;
}

export function renderSecret(m: SecretManifest): string {
  const data = [...m.data].sort((x, y) => (yamlKeyLess(x.key, y.key) ? -1 : yamlKeyLess(y.key, x.key) ? 1 : 0));
  const lines = ['apiVersion: v1\n'];
  if (data.length > 0) {
    lines.push('data:\n');
    for (const d of data) lines.push(mappingEntry('  ', d.key, scalar(Buffer.from(d.value, 'utf8').toString('base64'))));
  }
  lines.push('kind: Secret\n', 'metadata:\n', '  creationTimestamp: null\n', `  name: ${scalar(m.name)}\n`);
  if (m.namespace !== undefined) lines.push(`  namespace: ${scalar(m.namespace)}\n`);
  lines.push('type: Opaque\n');
  return lines.join('');
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The API server's rule for object names (a DNS-1123 subdomain); kubectl itself does not check it offline. */
export function secretNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 253) return `it has ${name.length} characters, at most 253 are allowed`;
  if (!name.split('.').every((l) => DNS_LABEL.test(l))) {
    return 'it must be lower-case letters, digits, "-" and ".", beginning and ending with a letter or digit (a DNS subdomain name)';
  }
  return undefined;
}

export function namespaceProblem(ns: string): string | undefined {
  if (ns.length === 0) return 'it is empty';
  if (ns.length > 63) return `it has ${ns.length} characters, at most 63 are allowed`;
  if (!DNS_LABEL.test(ns)) return 'it must be lower-case letters, digits and "-", beginning and ending with a letter or digit (a DNS label)';
  return undefined;
}

/** kubectl's own check of a Secret key (IsConfigMapKey). */
export function secretKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'it is empty';
  if (key.length > 253) return `it has ${key.length} characters, at most 253 are allowed`;
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) return 'a Secret key may only hold letters, digits, "-", "_" and "."';
  if (key === '.') return 'a Secret key must not be "."';
  if (key.startsWith('..')) return 'a Secret key must not begin with ".."';
  return undefined;
}
