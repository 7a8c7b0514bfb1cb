/**
 * Whether an output already holds what an export would write, so that a re-run of apply
 * changes no byte (and no mtime, which is what file watchers and kubelet's sync react to).
 * Read-only and best effort: anything unreadable counts as changed, and the write that
 * follows then reports the real problem.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_MODE } from '../store/atomic-write';
import type { Owner } from '../store/target';
import { tokenFileContent } from '../output/files';
import type { Rendered } from './export';

/** The file holds exactly `text`, with the mode (and owner) an export gives it. */
function fileHolds(path: string, text: string, owner: Owner | undefined): boolean {
  try {
    const st = statSync(path);
    if (!st.isFile() || (st.mode & 0o777) !== FILE_MODE) return false;
    if (owner && (st.uid !== owner.uid || (owner.gid !== -1 && st.gid !== owner.gid))) return false;
    // Sizes first: a changed 10,000-token export is told apart without reading it. Bytes
    // compare at half the cost of decoding the file into a string.
    const bytes = Buffer.from(text);
    return st.size === bytes.length && readFileSync(path).equals(bytes);
  } catch {
    return false;
  }
}

/**
 * A directory's token files, by name. Names starting with "." are the writer's own (temp
 * files, and the `..data` link and timestamped directories of an atomic layout); exported
 * names never start with one (safeKey maps "." to "_").
 */
function listed(dir: string): string[] | undefined {
  try {
    return readdirSync(dir).filter((n) => !n.startsWith('.'));
  } catch {
    return undefined;
  }
}

export function outputHolds(output: string, rendered: Rendered, owner: Owner | undefined): boolean {
  if (rendered.text !== undefined) return fileHolds(output, rendered.text, owner);
  const files = rendered.files ?? [];
  const names = listed(output);
  if (names === undefined || names.length !== files.length) return false;
  const present = new Set(names);
  return files.every((f) => present.has(f.key) && fileHolds(join(output, f.key), tokenFileContent(f.item.token), owner));
}
