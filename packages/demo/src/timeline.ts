/** Prints the onboarding as a readable timeline. Never prints personal data or secrets. */
import type { KycEvent, KycResult } from '@kycport/core';

export interface Timeline {
  step(label: string, detail?: string): void;
  result(label: string, result: KycResult): void;
  event(event: KycEvent): void;
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

export function consoleTimeline(provider: string, write: (line: string) => void = console.log): Timeline {
  const started = Date.now();
  const prefix = (): string => `[${provider.padEnd(5)} +${String(Date.now() - started).padStart(5)}ms]`;
  return {
    step: (label, detail) => write(`${prefix()} ${label}${detail ? `: ${detail}` : ''}`),
    result: (label, result) => {
      const reasons =
        result.state.reasonCodes.length > 0 ? ` reasons=${result.state.reasonCodes.join(',')}` : '';
      const attempt = result.state.attempt !== undefined ? ` attempt=${result.state.attempt}` : '';
      write(
        `${prefix()} ${label} -> ${result.state.status} (provider: ${result.state.providerStatus})${attempt}${reasons}; next: ${describeNextAction(result)}`,
      );
    },
    event: (event) => {
      const state = event.stateIncluded
        ? `${event.state.status} (provider: ${event.state.providerStatus})`
        : 'ids only: state read with getStatus';
      write(`${prefix()} webhook ${event.type} verified for ${event.userRef} -> ${state}`);
    },
    fail: (label, detail) => write(`${prefix()} FAILED ${label}: ${detail}`),
  };
}
