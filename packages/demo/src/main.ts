/**
 * The demo host app (the README's first command):
 *
 *   pnpm demo                         # plu, p100 and plaid against their simulators, in-process
 *   KYC_PROVIDER=plaid pnpm demo      # one provider
 *   KYC_PROVIDER=fake pnpm demo       # the in-memory fake
 *   KYC_DEMO_SIMULATE=false KYC_PROVIDER=plu PLU_API_KEY=sk_staging_... PLU_WEBHOOK_SECRET=whsec_... \
 *     KYC_DEMO_WEBHOOK_PORT=3000 pnpm demo   # a real staging account, unchanged code
 */
import 'reflect-metadata';
import { KycException } from '@kycport/core';
import { runDemo } from './run-demo';

runDemo({ env: process.env, write: (line) => console.log(line) }).then(
  (summaries) => {
    const approved = summaries.filter((summary) => summary.finalStatus === 'approved').length;
    console.log(
      `\n${approved} of ${summaries.length} onboardings reached approved after a denied-then-retried attempt.`,
    );
    process.exitCode = approved === summaries.length ? 0 : 1;
  },
  (error: unknown) => {
    console.error(
      KycException.isInstance(error) ? `kycport error: [${error.kind}] ${error.error.message}` : error,
    );
    process.exitCode = 1;
  },
);
