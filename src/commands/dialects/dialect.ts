/**
 * The contract of a dialect: the flags of another tool's command line (or of a body) and a
 * mapping from them to a draft token request. The draft holds what the dialect itself
 * says; index.ts adds the flags every dialect shares and applies the rules.
 */
import type { ExpirySpec } from '../../domain/expiry';
import type { ParseResult } from '../../domain/permissions';
import type { FlagSpec, ParsedArgs } from '../types';

export type Draft =
  | {
      readonly kind: 'admin';
      /** The flag that asked for an admin token, for messages: --admin, --all-access, ... */
      readonly via: string;
      readonly name: string | undefined;
      /** The server CLI's --regenerate: replace the admin token file. */
      readonly replace?: boolean;
    }
  | {
      readonly kind: 'permission';
      readonly name: string | undefined;
      readonly permissions: readonly string[];
      readonly expiry?: ExpirySpec;
    };

export interface Mapped {
  readonly draft: Draft;
  /** Words for people, where the spelling is known: "--name", "the description argument". */
  readonly nameFrom: string;
  /** The same for the draft's expiry, when the dialect set one: "expiry_secs of body.json". */
  readonly expiryFrom?: string;
  /** influx v2's --json. */
  readonly format?: 'json';
  /** Lines for stderr after success (ignored flags, ignored body fields). */
  readonly notices?: readonly string[];
}

/** What a mapping may read besides argv: the --from-json body. */
export interface MapContext {
  /** The text of a file, or of standard input for "-" (read up to `limit` bytes, naming it `what`). */
  readText(path: string, limit?: { bytes: number; what: string }): string;
}

export interface Dialect {
  /** Who writes such command lines, for messages and help: "influxctl". */
  readonly label: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /**
   * `words`: the positional arguments of `create token`. Returns the draft, or a usage
   * reason worded with this dialect's flag names.
   */
  map(args: ParsedArgs, words: readonly string[], ctx: MapContext): ParseResult<Mapped>;
}

export const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });
