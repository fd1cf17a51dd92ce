export * from './provider-simulator';
export * from './simulator-server';
export * from './webhook-deliverer';
