-- @kycport/store-postgres, migration 0001: the tracker's store.
-- Runs inside migrate()'s transaction with search_path set to the store's schema: names are
-- unqualified. One statement per `;` at the end of a line (no function bodies).

-- The latest normalized state per provider-qualified ref. `state` holds only the normalized
-- KycState (status, providerStatus, reasonCodes, attempt, nextAction): no applicant data and no raw
-- provider payload.
CREATE TABLE kyc_tracked_states (
  ref text PRIMARY KEY,
  provider text NOT NULL,
  status text NOT NULL,
  state jsonb NOT NULL,
  provider_time text,
  version integer NOT NULL CHECK (version >= 1),
  changed_at timestamptz NOT NULL,
  checked_at timestamptz NOT NULL,
  sweep_lease_until timestamptz
);

-- The reconcile sweep's scan: users not in a final state, least recently confirmed first.
CREATE INDEX kyc_tracked_states_sweep_idx ON kyc_tracked_states (checked_at)
  WHERE status NOT IN ('approved', 'denied', 'expired', 'canceled');

-- Webhook dedupe keys already processed (the unique key is the dedupe).
CREATE TABLE kyc_processed_webhooks (
  dedupe_key text PRIMARY KEY,
  processed_at timestamptz NOT NULL
);

-- Applied changes waiting for (or handed to) the host's onStateChange.
CREATE TABLE kyc_outbox (
  seq bigserial UNIQUE,
  change_id text PRIMARY KEY,
  ref text NOT NULL,
  provider text NOT NULL,
  previous_status text,
  state jsonb NOT NULL,
  version integer NOT NULL,
  source text NOT NULL,
  changed_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  due_at timestamptz NOT NULL,
  lease_until timestamptz,
  done boolean NOT NULL DEFAULT false,
  done_at timestamptz,
  UNIQUE (ref, version)
);

-- claimOutbox's scan: changes not done, by due time.
CREATE INDEX kyc_outbox_due_idx ON kyc_outbox (due_at, seq) WHERE NOT done;
