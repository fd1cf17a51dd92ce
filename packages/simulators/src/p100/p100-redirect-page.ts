/**
 * The page behind a verification's redirect URL (opened by the user's browser, no x-api-key). At
 * P100 it sends the browser on to an iDenfy capture session; the simulator's page finishes the
 * capture through the control API instead.
 */
import type { SimulatorRequest, SimulatorResponse } from '../simulator-server';
import { escapeHtml } from '../simulator-wire';
import { providerStatusOf } from './p100-state';
import type { P100SimulatorContext } from './p100-state';
import { p100Error } from './p100-wire';

function finishButtons(controlUrl: string): string {
  return [
    '<button data-outcome="approved">Finish: approved</button>',
    '<button data-outcome="denied">Finish: denied</button>',
    '<script>',
    'for (const button of document.querySelectorAll("button")) {',
    '  button.addEventListener("click", async () => {',
    `    const response = await fetch(${JSON.stringify(controlUrl)}, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ outcome: button.dataset.outcome }) });`,
    '    document.getElementById("state").textContent = response.ok ? "completed: " + button.dataset.outcome : "failed (" + response.status + ")";',
    '  });',
    '}',
    '</script>',
  ].join('\n');
}

export function p100RedirectPage(
  context: P100SimulatorContext,
  request: SimulatorRequest,
): SimulatorResponse {
  const externalUserId = request.params.externalUserId as string;
  const verificationId = request.params.verificationId as string;
  const user = context.users.get(externalUserId);
  if (!user) return p100Error('P412');
  if (!user.verificationIds.includes(verificationId)) return p100Error('P445');
  const current = user.verificationId === verificationId;
  const open = current && (user.attempt === 'PENDING' || user.attempt === 'VERIFICATION');
  const controlUrl = `/__control/users/${encodeURIComponent(externalUserId)}/complete`;
  const state = escapeHtml(providerStatusOf(user));
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>P100 verification (simulator)</title></head><body>',
    '<h1>P100 identity verification (kycport simulator)</h1>',
    '<p>At P100 this page sends the browser on to an iDenfy capture session. In the simulator, finish the capture here.</p>',
    `<p>Verification <code>${escapeHtml(verificationId)}</code>: <strong id="state">${state}</strong>${current ? '' : ' (superseded by a newer verification)'}</p>`,
    open ? finishButtons(controlUrl) : '<p>This verification is closed.</p>',
    '</body></html>',
  ].join('\n');
  return { status: 200, body: html, contentType: 'text/html; charset=utf-8' };
}
