/** `combineObservers`: several `KycObserver`s heard as one. */
import type { KycCallEvent, KycObserver } from '@kycport/core';

/**
 * One observer that tells each given observer (in order) about every call; `undefined` entries are
 * skipped. An observer that throws does not stop the others, and nothing is thrown to the
 * transport.
 */
export function combineObservers(...observers: ReadonlyArray<KycObserver | undefined>): KycObserver {
  const present = observers.filter((observer): observer is KycObserver => observer !== undefined);
  return {
    onCall(event: KycCallEvent): void {
      for (const observer of present) {
        try {
          observer.onCall?.(event);
        } catch {
          // Observers must not throw; one that does is skipped for this event.
        }
      }
    },
  };
}
