/**
 * Which token files a client export holds when no token is named (SPEC 12): outputs are
 * meant for clients, and the admin token opens everything. So `files`, `env` and `json`
 * hold the permission tokens only when a permission tokens file is exported; the admin
 * token reaches a client only when named, or when the admin file is exported alone.
 * (`k8s-secret` without names is the server's Secret: whole files, not this rule.) Pure.
 */
import type { FileKind } from './token-file';

export function clientKinds(exported: readonly FileKind[]): ReadonlySet<FileKind> {
  return new Set<FileKind>(exported.includes('permission') ? ['permission'] : exported);
}
