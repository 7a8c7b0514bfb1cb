/**
 * Every link in README.md, the project pages and docs/ resolves: a relative link names a
 * file or directory of the repository, and a `#fragment` a heading of the page it points
 * to. No page refers to a document a user cannot see (the project's internal
 * specification, issues, commits).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../helpers';

const PAGES = [
  'README.md',
  'CHANGELOG.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
  ...readdirSync(join(ROOT, 'docs'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
].sort();

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/^( *)```[\s\S]*?^\1```$/gm, '');
  return new Set([...withoutCode.matchAll(/^#{1,6} +(.+)$/gm)].map((m) => anchorOf(m[1]!)));
}

/** The broken links of a page (its path relative to ROOT, its text): "target: why". */
export function brokenLinks(page: string, markdown: string, exists = (p: string) => existsSync(join(ROOT, p))): string[] {
  const out: string[] = [];
  const withoutCode = markdown.replace(/^( *)```[\s\S]*?^\1```$/gm, '').replace(/`[^`\n]*`/g, '');
  for (const m of withoutCode.matchAll(/\[[^\]]*\]\(([^)\s]+)(?: "[^"]*")?\)/g)) {
    const target = m[1]!;
    if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
    const [path, fragment] = target.split('#') as [string, string | undefined];
    const file = path === '' ? page : relative(ROOT, join(ROOT, dirname(page), path));
    if (file.startsWith('..')) out.push(`${target}: outside the repository`);
    else if (!exists(file)) out.push(`${target}: no such file`);
    else if (fragment !== undefined && file.endsWith('.md') && !anchorsOf(file === page ? markdown : readFileSync(join(ROOT, file), 'utf8')).has(fragment))
      out.push(`${target}: no heading #${fragment} in ${file}`);
  }
  return out;
}

/** Documents a user of the package cannot open, named in a page. */
const UNSEEN = [/\bSPEC(?:\.md| \d)/, /\bARCHITECTURE\.md\b/, /\bissues? #?\d+\b/i, /\bcommit [0-9a-f]{7,40}\b/i, /shared\/reference\//];

describe('the documentation links resolve, and name no document the user cannot see', () => {
  for (const page of PAGES) {
    test(page, () => {
      const text = readFileSync(join(ROOT, page), 'utf8');
      assert.deepEqual(brokenLinks(page, text), []);
      for (const unseen of UNSEEN) assert.doesNotMatch(text, unseen, `${page} names ${unseen}`);
    });
  }

  test('the check finds a missing file, a missing heading and a path out of the repository', () => {
    const page = 'docs/example.md';
    const text =
      '# Title\n\n[ok](usage.md) [ok](#title) [gone](nope.md) [anchor](usage.md#no-such-heading) [out](../../etc/passwd) [web](https://example.com)\n';
    assert.deepEqual(
      brokenLinks(page, text, (p) => p === page || statSync(join(ROOT, p), { throwIfNoEntry: false }) !== undefined),
      ['nope.md: no such file', 'usage.md#no-such-heading: no heading #no-such-heading in docs/usage.md', '../../etc/passwd: outside the repository'],
    );
  });
});
