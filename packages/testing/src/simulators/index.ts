export * from './simulator-server';
export * from './webhook-deliverer';
