/** What a webhook receiver gets about a server: enough to find it, nothing secret. */
export function serverEvent(server: {
  id: string;
  name: string;
  account_id: string;
  plan_id: string;
  site_id: string;
}): Record<string, unknown> {
  return {
    server: {
      id: server.id,
      name: server.name,
      account_id: server.account_id,
      plan_id: server.plan_id,
      site_id: server.site_id,
    },
  };
}

/** What a webhook receiver gets about an invoice: its number, period, money and state. */
export function invoiceEvent(invoice: {
  id: string;
  number: string;
  account_id: string;
  issuer_account_id: string;
  period: string;
  currency: string;
  total_minor: number;
  amount_due_minor: number;
  status: string;
}): Record<string, unknown> {
  return {
    invoice: {
      id: invoice.id,
      number: invoice.number,
      account_id: invoice.account_id,
      issuer_account_id: invoice.issuer_account_id,
      period: invoice.period,
      currency: invoice.currency,
      total_minor: invoice.total_minor,
      amount_due_minor: invoice.amount_due_minor,
      status: invoice.status,
    },
  };
}
