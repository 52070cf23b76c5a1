/**
 * The seam for payment gateways (Stripe, Moneris, PayPal...). A gateway charges a customer
 * for an invoice and reports the outcome; a successful charge is recorded exactly like a manual
 * payment (`recordPayment`), with the gateway's reference, so suspension, credit and the
 * `invoice.paid` webhook behave the same whichever way the money came in. Only the manual
 * provider exists today: an operator records a payment received by e-transfer or cheque.
 */
export interface PaymentRequest {
  invoiceId: string;
  invoiceNumber: string;
  amountMinor: number;
  currency: string;
  /** The customer's account, for the gateway's customer record. */
  accountId: string;
  /** Makes a retried charge safe: the same key never charges twice. */
  idempotencyKey: string;
}

export type PaymentOutcome =
  | { status: "succeeded"; reference: string }
  | { status: "pending"; reference: string }
  | { status: "failed"; reason: string };

export interface PaymentProvider {
  /** Shown as the payment's method, e.g. `stripe`. */
  readonly name: string;
  charge(request: PaymentRequest): Promise<PaymentOutcome>;
}

/** Money that arrived outside Layerboom: nothing to charge; an operator records it. */
export const MANUAL_PAYMENTS: PaymentProvider = {
  name: "manual",
  charge: async () => ({
    status: "failed",
    reason: "manual payments are recorded by an operator (POST /invoices/{id}/payments), not charged",
  }),
};
