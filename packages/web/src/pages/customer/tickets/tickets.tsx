import type { paths } from "@layerboom/client";
import type { Me } from "../../../api";
import { Badge } from "../../../components/Badge";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;

export type Ticket = Json<paths["/tickets/{id}"]["get"]["responses"][200]>;
export type TicketStatus = Ticket["status"];

/** Tickets are opened by customer accounts; provider and reseller staff answer them. */
export function opensTickets(me: Pick<Me, "role"> | null | undefined): boolean {
  return me?.role === "customer-admin" || me?.role === "customer-member";
}

/** A ticket's status as a badge. */
export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  return <Badge state={status} />;
}
