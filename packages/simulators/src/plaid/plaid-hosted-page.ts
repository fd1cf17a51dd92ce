/**
 * The hosted flow page behind `shareable_url` (the simulator's own, not Plaid's UI): the attempt's
 * status and steps, and buttons that complete it as the end user would.
 */
import type { Route, SimulatorRequest, SimulatorResponse } from '../simulator-server';
import { escapeHtml } from '../simulator-wire';
import type { Attempt } from './plaid-attempts';
import { completePlaidHostedFlow } from './plaid-control';
import { latestOf } from './plaid-state';
import type { PlaidSimulatorContext } from './plaid-state';

const NOT_VALID: SimulatorResponse = { status: 404, body: 'This verification link is not valid.' };

/** The attempt of a shareable URL whose key matches. */
function hostedAttempt(context: PlaidSimulatorContext, request: SimulatorRequest): Attempt | undefined {
  const attempt = context.byId.get(request.params.id ?? '');
  const key = request.query.get('key');
  return attempt && attempt.shareKey !== null && key === attempt.shareKey ? attempt : undefined;
}

function page(attempt: Attempt, note = ''): SimulatorResponse {
  const action = `/verify/${attempt.id}?key=${attempt.shareKey ?? ''}`;
  const name = attempt.user.name
    ? `${attempt.user.name.given_name} ${attempt.user.name.family_name}`
    : '(no name)';
  const buttons =
    attempt.status === 'active'
      ? `<form method="post" action="${escapeHtml(action)}">
  <button name="outcome" value="approved">Complete: approved</button>
  <button name="outcome" value="denied">Complete: denied</button>
  <button name="outcome" value="">Complete: sandbox convention</button>
</form>`
      : '<p>This attempt is finished.</p>';
  return {
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html>
<html><head><meta charset="utf-8"><title>Plaid IDV simulator: ${escapeHtml(attempt.id)}</title></head>
<body>
<h1>Plaid Identity Verification (simulator)</h1>
<p>Attempt <code>${escapeHtml(attempt.id)}</code> for <code>${escapeHtml(attempt.clientUserId)}</code>, ${escapeHtml(name)}</p>
<p>Status: <strong>${escapeHtml(attempt.status)}</strong></p>
<pre>${escapeHtml(JSON.stringify(attempt.steps, null, 2))}</pre>
${note}
${buttons}
</body></html>
`,
  };
}

export function plaidHostedRoutes(context: PlaidSimulatorContext): ReadonlyArray<Route> {
  return [
    {
      method: 'GET',
      pattern: '/verify/{id}',
      handler: (request) => {
        const attempt = hostedAttempt(context, request);
        return attempt ? page(attempt) : NOT_VALID;
      },
    },
    {
      method: 'POST',
      pattern: '/verify/{id}',
      handler: async (request) => {
        const attempt = hostedAttempt(context, request);
        if (!attempt) return NOT_VALID;
        const outcome = new URLSearchParams(request.rawBody.toString('utf8')).get('outcome');
        if (attempt.status === 'active' && latestOf(context, attempt.clientUserId) === attempt) {
          await completePlaidHostedFlow(
            context,
            attempt.clientUserId,
            outcome === 'approved' || outcome === 'denied' ? outcome : undefined,
          );
        }
        return page(attempt, '<p>Submitted.</p>');
      },
    },
  ];
}
