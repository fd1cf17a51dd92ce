/** Database rows and their mapping to the port's types. */
import type { KycState, ProviderId, StateChange, StateSource, TrackedState, UserRef } from '@kycport/core';

export interface TrackedRow {
  readonly ref: string;
  readonly provider: string;
  readonly state: unknown;
  readonly provider_time: string | null;
  readonly version: number;
  readonly changed_at: unknown;
  readonly checked_at: unknown;
}

export interface OutboxRow {
  readonly change_id: string;
  readonly ref: string;
  readonly provider: string;
  readonly previous_status: string | null;
  readonly state: unknown;
  readonly version: number;
  readonly source: string;
  readonly changed_at: unknown;
  readonly attempts: number;
}

export const TRACKED_COLUMNS = 'ref, provider, state, provider_time, version, changed_at, checked_at';
export const OUTBOX_COLUMNS =
  'change_id, ref, provider, previous_status, state, version, source, changed_at, attempts';

/**
 * A timestamptz as ISO 8601 (UTC, milliseconds). Both drivers hand out a Date (possibly from another
 * realm, so no `instanceof`); text (custom type parsers) is parsed.
 */
export function isoTime(value: unknown): string {
  if (Object.prototype.toString.call(value) === '[object Date]') return (value as Date).toISOString();
  return new Date(String(value)).toISOString();
}

/** A jsonb value: parsed by both drivers; a string (custom type parsers) is parsed here. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function toTrackedState(row: TrackedRow): TrackedState {
  return {
    ref: row.ref as UserRef,
    provider: row.provider as ProviderId,
    state: json<KycState>(row.state),
    ...(row.provider_time === null ? {} : { providerTime: row.provider_time }),
    version: Number(row.version),
    changedAt: isoTime(row.changed_at),
    checkedAt: isoTime(row.checked_at),
  };
}

export function toStateChange(row: OutboxRow): StateChange {
  return {
    changeId: row.change_id,
    ref: row.ref as UserRef,
    provider: row.provider as ProviderId,
    ...(row.previous_status === null ? {} : { previousStatus: row.previous_status as KycState['status'] }),
    state: json<KycState>(row.state),
    version: Number(row.version),
    source: row.source as StateSource,
    changedAt: isoTime(row.changed_at),
    attempts: Number(row.attempts),
  };
}
