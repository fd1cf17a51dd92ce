#!/usr/bin/env node
/**
 * Runs one provider simulator standalone, for hosts not written for Node (or to poke at it with curl):
 *
 *   npx kycport-simulate plu --port 4010 [--host 127.0.0.1] [--webhook-url http://127.0.0.1:3000/webhooks]
 *     [--webhook-layout compact|indented|alternate]
 *
 * (`pnpm simulate plu ...` in this repository.)
 *
 * Prints the base URL, the credentials and environment variables to configure kycport (or any
 * client) with, and the control API. Stops on Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { SIMULATED_PROVIDERS, isSimulatedProvider, startSimulator } from '../start-simulator';
import { WEBHOOK_LAYOUTS, isWebhookLayout } from '../webhook-deliverer';

const USAGE = `usage: simulate <${SIMULATED_PROVIDERS.join('|')}> [--port 4010] [--host 127.0.0.1] [--webhook-url URL] [--webhook-layout ${WEBHOOK_LAYOUTS.join('|')}]`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'webhook-url': { type: 'string' },
      'webhook-layout': { type: 'string', default: 'compact' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const provider = positionals[0];
  if (values.help || provider === undefined || !isSimulatedProvider(provider)) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a port number\n${USAGE}\n`);
    return 2;
  }
  const layout = values['webhook-layout'];
  if (!isWebhookLayout(layout)) {
    process.stderr.write(`--webhook-layout must be one of ${WEBHOOK_LAYOUTS.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  const simulator = await startSimulator(provider, {
    port,
    host: values.host,
    webhookUrl: values['webhook-url'],
    webhookLayout: layout,
  });
  const lines = [
    `${provider} simulator listening on ${simulator.baseUrl}`,
    '',
    'Configure kycport with these environment variables:',
    ...Object.entries(simulator.environment).map(([name, value]) => `  ${name}=${value}`),
    '',
    'Control API (JSON):',
    `  POST ${simulator.baseUrl}/__control/users/{ref}/complete   {"outcome":"approved"|"denied"}`,
    `  POST ${simulator.baseUrl}/__control/users/{ref}/state      {"state":"<provider state>"}`,
    `  GET  ${simulator.baseUrl}/__control/users`,
    `  POST ${simulator.baseUrl}/__control/faults                 {"fault":{"type":"status","status":429,"retryAfterSeconds":1}}`,
    `  POST ${simulator.baseUrl}/__control/faults                 {"fault":{"type":"answer_lost"},"method":"POST"}`,
    `  POST ${simulator.baseUrl}/__control/reset                  (forget users, faults and logs)`,
    `  PUT  ${simulator.baseUrl}/__control/webhook-url            {"url":"http://127.0.0.1:3000/webhooks"}`,
    `  PUT  ${simulator.baseUrl}/__control/webhook-layout         {"layout":"compact"|"indented"|"alternate"}`,
    `  GET  ${simulator.baseUrl}/__control/webhooks`,
    `  POST ${simulator.baseUrl}/__control/webhooks/{id}/redeliver`,
    '',
    `Webhooks: ${values['webhook-url'] ?? 'not sent until a URL is set (--webhook-url or PUT /__control/webhook-url)'}`,
    'Ctrl-C stops the simulator.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await simulator.close();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
