/**
 * The simulator's stand-in for Persona's hosted flow (`GET /persona/verify?inquiry-id=...`, opened
 * by the user's browser, no auth): the user's status and buttons that call the control API.
 */
import type { SimulatorRequest, SimulatorResponse } from '../simulator-server';
import { escapeHtml } from '../simulator-wire';
import { listedStatus } from './plu-state';
import type { PluSimulatorContext, PluUserRecord } from './plu-state';

function page(status: number, body: string): SimulatorResponse {
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    body: [
      '<!doctype html><html lang="en"><head><meta charset="utf-8">',
      '<title>Persona verification (kycport Plu simulator)</title></head><body>',
      '<h1>Identity verification (kycport Plu simulator)</h1>',
      body,
      '</body></html>',
    ].join(''),
  };
}

function completionButtons(user: PluUserRecord): string {
  const ref = escapeHtml(JSON.stringify(user.serviceId));
  return [
    '<p>Complete the flow as the end user (the lastName keyword decides when no outcome is chosen):</p>',
    `<button onclick='complete(${ref}, "approved")'>Approve</button> `,
    `<button onclick='complete(${ref}, "denied")'>Deny</button> `,
    `<button onclick='complete(${ref})'>Use the sandbox keyword</button>`,
    '<script>function complete(ref, outcome) {',
    "fetch('/__control/users/' + encodeURIComponent(ref) + '/complete', { method: 'POST',",
    "headers: { 'content-type': 'application/json' }, body: JSON.stringify(outcome ? { outcome } : {}) })",
    '.then(function () { location.reload(); }); }</script>',
  ].join('');
}

export function pluVerificationPage(
  context: PluSimulatorContext,
  request: SimulatorRequest,
): SimulatorResponse {
  const inquiryId = request.query.get('inquiry-id') ?? '';
  const serviceId = context.inquiries.get(inquiryId);
  const user = serviceId === undefined ? undefined : context.users.get(serviceId);
  if (!user) return page(404, '<p>Unknown or expired inquiry.</p>');
  const current = user.inquiryId === inquiryId;
  const open = current && (user.state === 'pending_kyc' || user.state === 'needsVerification');
  return page(
    200,
    [
      `<p>Inquiry <code>${escapeHtml(inquiryId)}</code> for <code>${escapeHtml(user.serviceId)}</code>: `,
      `<strong id="status">${escapeHtml(listedStatus(user.state))}</strong>`,
      current ? '' : ' (superseded by a newer inquiry)',
      '</p>',
      open ? completionButtons(user) : '<p>This inquiry is closed.</p>',
    ].join(''),
  );
}
