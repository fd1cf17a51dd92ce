export * from './provider-simulator';
export * from './simulator-server';
export * from './start-simulator';
export * from './webhook-deliverer';
export * from './p100';
export * from './plaid';
export * from './plu';
export * from './webhook-recorder';
