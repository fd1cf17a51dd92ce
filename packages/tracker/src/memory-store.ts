/**
 * `createMemoryKycStore()`: the `KycStore` for tests and single-process hosts. Everything lives in
 * this process's memory (lost on restart; not shared between instances). Each method runs to its
 * end without yielding, so every `apply` is atomic. It keeps only the normalized `KycState` per
 * ref, the processed webhook keys and the outbox: no applicant data, no raw provider payload.
 */
import { randomUUID } from 'node:crypto';
import { isFinalStatus } from '@kycport/core';
import type {
  ApplyOutcome,
  ApplyStateInput,
  KycStore,
  OutboxClaim,
  StaleUsersClaim,
  StateChange,
  TrackedState,
} from '@kycport/core';
import { appliedState, decideApply, laterTime, timeOf } from '@kycport/core';

interface OutboxEntry {
  change: StateChange;
  /** When the change is due (ms). */
  dueAt: number;
  /** Claimed until (ms); 0: not claimed. */
  leaseUntil: number;
  readonly seq: number;
}

/**
 * The in-memory `KycStore`: for tests, demos and single-process hosts that can lose their state on
 * restart.
 */
export interface MemoryKycStore extends KycStore {
  /** Counts, for tests and diagnostics. */
  size(): { readonly users: number; readonly processedKeys: number; readonly outbox: number };
}

const ms = (iso: string): number => timeOf(iso) ?? 0;

function changeOf(
  current: TrackedState | undefined,
  next: TrackedState,
  input: ApplyStateInput,
): StateChange {
  return {
    changeId: randomUUID(),
    ref: next.ref,
    provider: next.provider,
    ...(current === undefined ? {} : { previousStatus: current.state.status }),
    state: next.state,
    version: next.version,
    source: input.source,
    changedAt: next.changedAt,
    attempts: 0,
  };
}

interface MemoryData {
  readonly states: Map<string, TrackedState>;
  readonly processed: Set<string>;
  readonly outbox: Map<string, OutboxEntry>;
  readonly sweepLeases: Map<string, number>;
  seq: number;
}

function applyInMemory(data: MemoryData, input: ApplyStateInput): ApplyOutcome {
  const { states, processed } = data;
  if (input.dedupeKey !== undefined && processed.has(input.dedupeKey)) return { kind: 'duplicate' };
  const current = states.get(input.ref);
  const decision = decideApply(current, input);
  if (decision === 'conflict')
    return current === undefined ? { kind: 'conflict' } : { kind: 'conflict', current };
  if (input.dedupeKey !== undefined) processed.add(input.dedupeKey);
  if (decision === 'stale' && current !== undefined) return { kind: 'stale', current };
  if (decision === 'unchanged' && current !== undefined) {
    const checked: TrackedState = { ...current, checkedAt: laterTime(current.checkedAt, input.now) };
    states.set(input.ref, checked);
    return { kind: 'unchanged', current: checked };
  }
  const next = appliedState(current, input);
  const change = changeOf(current, next, input);
  states.set(input.ref, next);
  data.outbox.set(change.changeId, { change, dueAt: ms(input.now), leaseUntil: 0, seq: data.seq++ });
  return { kind: 'applied', change };
}

function claimOutboxInMemory(data: MemoryData, claim: OutboxClaim): ReadonlyArray<StateChange> {
  const now = ms(claim.now);
  const due = [...data.outbox.values()]
    .filter((entry) => entry.dueAt <= now && entry.leaseUntil <= now)
    .sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq)
    .slice(0, Math.max(0, claim.limit));
  return due.map((entry) => {
    const handed = entry.change;
    entry.leaseUntil = now + claim.leaseMs;
    entry.change = { ...handed, attempts: handed.attempts + 1 };
    return handed;
  });
}

function claimStaleInMemory(data: MemoryData, claim: StaleUsersClaim): ReadonlyArray<TrackedState> {
  const now = ms(claim.now);
  const cutoff = now - claim.olderThanMs;
  const stale = [...data.states.values()]
    .filter(
      (tracked) =>
        !isFinalStatus(tracked.state.status) &&
        (claim.provider === undefined || tracked.provider === claim.provider) &&
        ms(tracked.checkedAt) <= cutoff &&
        (data.sweepLeases.get(tracked.ref) ?? 0) <= now,
    )
    .sort((a, b) => ms(a.checkedAt) - ms(b.checkedAt) || (a.ref < b.ref ? -1 : 1))
    .slice(0, Math.max(0, claim.limit));
  for (const tracked of stale) data.sweepLeases.set(tracked.ref, now + claim.leaseMs);
  return stale;
}

/**
 * Builds an empty in-memory `KycStore`; it follows the same rules as the PostgreSQL store (the
 * shared store contract checks both).
 */
export function createMemoryKycStore(): MemoryKycStore {
  const data: MemoryData = {
    states: new Map(),
    processed: new Set(),
    outbox: new Map(),
    sweepLeases: new Map(),
    seq: 0,
  };
  return {
    get: async (ref) => data.states.get(ref),
    apply: async (input) => applyInMemory(data, input),
    markProcessed: async (dedupeKey) => {
      if (data.processed.has(dedupeKey)) return 'duplicate';
      data.processed.add(dedupeKey);
      return 'new';
    },
    claimOutbox: async (claim) => claimOutboxInMemory(data, claim),
    completeOutbox: async (changeId) => {
      data.outbox.delete(changeId);
    },
    failOutbox: async (changeId, retryAt) => {
      const entry = data.outbox.get(changeId);
      if (entry === undefined) return;
      entry.dueAt = ms(retryAt);
      entry.leaseUntil = 0;
    },
    claimStaleUsers: async (claim) => claimStaleInMemory(data, claim),
    close: async () => undefined,
    size: () => ({ users: data.states.size, processedKeys: data.processed.size, outbox: data.outbox.size }),
  };
}
