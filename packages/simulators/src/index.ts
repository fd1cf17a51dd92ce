/**
 * Offline simulators of Plu, P100 and Plaid on loopback: their wire formats and documented
 * behaviour, signed webhooks, fault injection and a control API.
 *
 * @module @kycport/simulators
 */
export * from './provider-simulator';
export { parseFaultRule } from './simulator-faults';
export type { Fault, FaultRule, FaultType } from './simulator-faults';
export * from './simulator-server';
export * from './start-simulator';
export * from './webhook-deliverer';
export * from './p100';
export * from './plaid';
export * from './plu';
export * from './webhook-recorder';
