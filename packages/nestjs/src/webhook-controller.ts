/**
 * The webhook controller: `POST /<path>/:provider`, the raw body Nest keeps with `rawBody: true`.
 * Decorators are applied as calls (no decorator syntax, no `emitDecoratorMetadata`), so the package
 * compiles under any TypeScript decorator setting and `isolatedModules`.
 */
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import type { KycWebhookHandler } from '@kycport/core';
import type { KycTracker } from '@kycport/tracker';
import { KYC_NEST_TOKENS } from './tokens';
import { answerWebhook } from './webhook-intake';
import type { RawBodyRequest } from './webhook-intake';

/** The request as the controller reads it: headers, the `:provider` param and Nest's raw body. */
interface WebhookHttpRequest extends RawBodyRequest {
  readonly params?: Readonly<Record<string, string | undefined>>;
}

/** Express's `res.status().json()` or Fastify's `reply.status().send()`. */
interface WebhookHttpResponse {
  status(code: number): { json?(body: unknown): unknown; send(body: unknown): unknown };
}

/** What the controller class exposes (one class per `webhookPath`). */
export interface KycWebhookControllerInstance {
  /** Handles one delivery and writes the answer. */
  receive(request: WebhookHttpRequest, response: WebhookHttpResponse): Promise<void>;
}

/** A controller class mounting `POST /<path>/:provider`. */
export function createKycWebhookController(path: string): Type<KycWebhookControllerInstance> {
  class KycWebhookController implements KycWebhookControllerInstance {
    constructor(
      private readonly tracker: KycTracker | null,
      private readonly webhooks: KycWebhookHandler,
    ) {}

    async receive(request: WebhookHttpRequest, response: WebhookHttpResponse): Promise<void> {
      const provider = request.params?.['provider'] ?? '';
      const answer = await answerWebhook(
        { tracker: this.tracker, webhooks: this.webhooks },
        provider,
        request,
      );
      const reply = response.status(answer.status);
      if (typeof reply.json === 'function') reply.json(answer.body);
      else reply.send(answer.body);
    }
  }
  Inject(KYC_NEST_TOKENS.KycTracker)(KycWebhookController, undefined, 0);
  Inject(KYC_NEST_TOKENS.KycWebhookHandler)(KycWebhookController, undefined, 1);
  const proto = KycWebhookController.prototype;
  Req()(proto, 'receive', 0);
  Res()(proto, 'receive', 1);
  Post(':provider')(proto, 'receive', Object.getOwnPropertyDescriptor(proto, 'receive')!);
  Controller(path)(KycWebhookController);
  return KycWebhookController;
}
