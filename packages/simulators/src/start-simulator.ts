/** One entry point for every simulator: `startSimulator('plu' | 'p100' | 'plaid', options)`. */
import { startP100Simulator } from './p100';
import type { P100Simulator, P100SimulatorOptions } from './p100';
import { startPlaidSimulator } from './plaid';
import type { PlaidSimulator, PlaidSimulatorOptions } from './plaid';
import { startPluSimulator } from './plu';
import type { PluSimulator, PluSimulatorOptions } from './plu';
import type { SimulatedProviderId } from './provider-simulator';

/** Each simulated provider's options and running simulator types, for `startSimulator`. */
export interface SimulatorsByProvider {
  /** The Plu simulator. */
  plu: { options: PluSimulatorOptions; simulator: PluSimulator };
  /** The P100 simulator. */
  p100: { options: P100SimulatorOptions; simulator: P100Simulator };
  /** The Plaid simulator. */
  plaid: { options: PlaidSimulatorOptions; simulator: PlaidSimulator };
}

/** Every provider a simulator exists for. */
export const SIMULATED_PROVIDERS: ReadonlyArray<SimulatedProviderId> = ['plu', 'p100', 'plaid'];

/** Whether `value` names a provider a simulator exists for. */
export function isSimulatedProvider(value: string): value is SimulatedProviderId {
  return (SIMULATED_PROVIDERS as ReadonlyArray<string>).includes(value);
}

/** Starts the simulator of `provider` on loopback (rejects for a provider without one). */
export function startSimulator<P extends SimulatedProviderId>(
  provider: P,
  options: SimulatorsByProvider[P]['options'] = {},
): Promise<SimulatorsByProvider[P]['simulator']> {
  switch (provider) {
    case 'plu':
      return startPluSimulator(options) as Promise<SimulatorsByProvider[P]['simulator']>;
    case 'p100':
      return startP100Simulator(options) as Promise<SimulatorsByProvider[P]['simulator']>;
    case 'plaid':
      return startPlaidSimulator(options) as Promise<SimulatorsByProvider[P]['simulator']>;
    default:
      return Promise.reject(
        new Error(`no simulator for ${String(provider)}; expected one of ${SIMULATED_PROVIDERS.join(', ')}`),
      );
  }
}
