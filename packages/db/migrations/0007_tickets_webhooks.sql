-- Support tickets (docs/tickets-and-webhooks.md): a customer's ticket is handled by the
-- customer's parent account (its reseller, or the provider for a direct customer), fixed
-- when the ticket is opened so that moving accounts never hands old tickets to someone else.
CREATE TABLE tickets (
  id                  text PRIMARY KEY,
  account_id          text NOT NULL REFERENCES accounts (id),
  handler_account_id  text NOT NULL REFERENCES accounts (id),
  server_id           text REFERENCES servers (id),
  opened_by_user_id   text REFERENCES users (id),
  subject             text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'closed')),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  closed_at           timestamptz
);
CREATE INDEX tickets_account_idx ON tickets (account_id, id);
CREATE INDEX tickets_handler_idx ON tickets (handler_account_id, id);

CREATE TABLE ticket_messages (
  id              text PRIMARY KEY,
  ticket_id       text NOT NULL REFERENCES tickets (id),
  author_user_id  text REFERENCES users (id),
  -- Which side wrote it: the customer, or the handling account's staff.
  side            text NOT NULL CHECK (side IN ('customer', 'staff')),
  body            text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_messages_ticket_idx ON ticket_messages (ticket_id, id);

-- Signed webhooks. The secret is kept as is: the dispatcher needs it to sign every delivery.
CREATE TABLE webhook_endpoints (
  id                  text PRIMARY KEY,
  account_id          text NOT NULL REFERENCES accounts (id),
  url                 text NOT NULL,
  events              jsonb NOT NULL,
  secret              text NOT NULL,
  created_by_user_id  text REFERENCES users (id),
  created_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz
);
CREATE INDEX webhook_endpoints_account_idx ON webhook_endpoints (account_id) WHERE deleted_at IS NULL;

-- The outbox: one row per (event, endpoint), written in the transaction of the change itself.
-- next_attempt_at doubles as the lease of a claimed delivery, so a controller that dies
-- mid-request leaves the row due again once the lease has passed.
CREATE TABLE webhook_deliveries (
  id               text PRIMARY KEY,
  endpoint_id      text NOT NULL REFERENCES webhook_endpoints (id),
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  account_id       text NOT NULL REFERENCES accounts (id),
  payload          jsonb NOT NULL,
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_status      integer,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
