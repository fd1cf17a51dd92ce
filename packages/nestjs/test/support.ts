/** Helpers of the Nest tests (not a test file): a Nest app (the rest is @kycport/integration-kit). */
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';

/** A Nest app around `root`, listening on 127.0.0.1:0; `rawBody` as the host chose. */
export async function listen(
  root: unknown,
  rawBody: boolean,
): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(root as never, { rawBody, logger: false });
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${address.port}` };
}
