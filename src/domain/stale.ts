/**
 * Whether a token kept by --if-not-exists still answers the request. The server skips a
 * name it already has, so a re-run that keeps an expired token, or one with other
 * permissions than the pipeline now asks for, leaves clients failing without a word.
 */
import { isExpired } from './instant';
import { formatPermission, parsePermission } from './permissions';

export type StaleReason =
  | { readonly kind: 'expired'; readonly expiry: bigint }
  /** Normalised and sorted, each side without the permissions both have. */
  | { readonly kind: 'permissions'; readonly onlyKept: readonly string[]; readonly onlyAsked: readonly string[] };

export interface KeptToken {
  readonly name: string;
  /** Exact i64 milliseconds; null never expires. */
  readonly expiry?: bigint | null;
  /** Absent for an admin token, which has full access whatever is asked. */
  readonly permissions?: readonly string[];
}

/** One spelling per permission, so that `db:a:read` in the file and in the request compare equal. */
function normalised(perms: readonly string[]): Set<string> {
  return new Set(
    perms.map((p) => {
      const parsed = parsePermission(p);
      return parsed.ok ? formatPermission(parsed.value) : p;
    }),
  );
}

/**
 * Permissions are compared as sets of strings (order and repeats do not count): a
 * request that grants the same access in other words (`db:a,b:read` against `db:a:read`
 * and `db:b:read`) is reported as different, which errs on the side of saying so.
 */
export function staleReasons(kept: KeptToken, askedPermissions: readonly string[] | undefined, now: number): StaleReason[] {
  const reasons: StaleReason[] = [];
  if (kept.expiry != null && isExpired(kept.expiry, now)) reasons.push({ kind: 'expired', expiry: kept.expiry });
  if (kept.permissions !== undefined && askedPermissions !== undefined) {
    const have = normalised(kept.permissions);
    const want = normalised(askedPermissions);
    const onlyKept = [...have].filter((p) => !want.has(p)).sort();
    const onlyAsked = [...want].filter((p) => !have.has(p)).sort();
    if (onlyKept.length > 0 || onlyAsked.length > 0) reasons.push({ kind: 'permissions', onlyKept, onlyAsked });
  }
  return reasons;
}
