import type { ColumnType, Generated, Selectable } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** Tables of support tickets and webhooks (migration 0007, docs/tickets-and-webhooks.md). */
export interface TicketsTable {
  id: string;
  /** The customer account that opened it. */
  account_id: string;
  /** Whose staff answer it: the customer's parent when the ticket was opened. */
  handler_account_id: string;
  server_id: string | null;
  opened_by_user_id: string | null;
  subject: string;
  status: Generated<TicketStatus>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  closed_at: Timestamp | null;
}

export type TicketStatus = "open" | "pending" | "closed";

export interface TicketMessagesTable {
  id: string;
  ticket_id: string;
  author_user_id: string | null;
  side: "customer" | "staff";
  body: string;
  created_at: CreatedAt;
}

export interface WebhookEndpointsTable {
  id: string;
  account_id: string;
  url: string;
  events: ColumnType<string[], string, string>;
  secret: string;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  deleted_at: Timestamp | null;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  /** Shared by the deliveries of one event to several endpoints. */
  event_id: string;
  event_type: string;
  /** The account the event is about. */
  account_id: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  state: Generated<"pending" | "delivered" | "failed">;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_status: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  delivered_at: Timestamp | null;
}

export type TicketRow = Selectable<TicketsTable>;
export type TicketMessageRow = Selectable<TicketMessagesTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
