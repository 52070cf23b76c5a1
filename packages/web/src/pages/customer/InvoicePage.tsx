/** Placeholder until the page is written. */
export function InvoicePage() {
  return (
    <section>
      <h1>Invoice</h1>
    </section>
  );
}
