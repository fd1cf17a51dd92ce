/** Prints the onboarding as a readable timeline. Never prints personal data or secrets. */
import type { KycEvent, KycResult, StateChange } from '@kycport/core';
import type { IngestResult } from '@kycport/tracker';
import type { TrackerReport } from './demo-tracker';

export interface Timeline extends TrackerReport {
  step(label: string, detail?: string): void;
  result(label: string, result: Pick<KycResult, 'state'>, note?: string): void;
  fail(label: string, detail: string): void;
}

function describeNextAction(result: Pick<KycResult, 'state'>): string {
  const action = result.state.nextAction;
  switch (action.type) {
    case 'redirect':
      return `redirect the user to ${new URL(action.url).origin}/…`;
    case 'submit_verification':
      return `submit ${action.missing.join(', ')}`;
    default:
      return action.type.replace('_', ' ');
  }
}

/** A change id, short enough to read and still tell changes apart. */
export function shortId(changeId: string): string {
  return changeId.slice(0, 8);
}

/** One line for what the webhook endpoint answered (after the tracker committed). */
export function describeAnswer(result: IngestResult, event: KycEvent | undefined): string {
  const what = event ? `webhook ${event.type} verified for ${event.userRef}` : 'webhook';
  const read = event && !event.stateIncluded ? ', ids only: state read with getStatus' : '';
  switch (result.outcome) {
    case 'accepted': {
      const applied = result.change
        ? `applied change ${shortId(result.change.changeId)} v${result.change.version}`
        : `${result.applied}: nothing to apply`;
      return `${what} -> accepted (${applied}${read}), answered ${result.httpStatus}`;
    }
    case 'duplicate':
      return `${what} -> duplicate (already processed), answered ${result.httpStatus}`;
    case 'rejected':
      return `${what} -> rejected [${result.error.kind}: ${result.error.message}], answered ${result.httpStatus}`;
    default:
      return `${what} -> retry later [${result.error.kind}: ${result.error.message}], answered ${result.httpStatus}`;
  }
}

/** One line for a change handed to `onStateChange`. */
export function describeChange(change: StateChange, again: boolean): string {
  return (
    `state change ${shortId(change.changeId)} ${change.ref}: ${change.previousStatus ?? '(new)'} -> ` +
    `${change.state.status} (v${change.version}, from ${change.source})${again ? ' [delivered again]' : ''}`
  );
}

export function consoleTimeline(provider: string, write: (line: string) => void = console.log): Timeline {
  const started = Date.now();
  const prefix = (): string => `[${provider.padEnd(5)} +${String(Date.now() - started).padStart(5)}ms]`;
  return {
    step: (label, detail) => write(`${prefix()} ${label}${detail ? `: ${detail}` : ''}`),
    result: (label, result, note) => {
      const reasons =
        result.state.reasonCodes.length > 0 ? ` reasons=${result.state.reasonCodes.join(',')}` : '';
      const attempt = result.state.attempt !== undefined ? ` attempt=${result.state.attempt}` : '';
      write(
        `${prefix()} ${label} -> ${result.state.status} (provider: ${result.state.providerStatus})${attempt}${reasons}; next: ${describeNextAction(result)}${note ? ` [${note}]` : ''}`,
      );
    },
    answer: (result, event) => write(`${prefix()} ${describeAnswer(result, event)}`),
    change: (change, again) => write(`${prefix()} ${describeChange(change, again)}`),
    fail: (label, detail) => write(`${prefix()} FAILED ${label}: ${detail}`),
  };
}
