/** Placeholder until the page is written. */
export function InvoicesPage() {
  return (
    <section>
      <h1>Invoices</h1>
    </section>
  );
}
