/** Placeholder until the page is written. */
export function CodesPage() {
  return (
    <section>
      <h1>Discount codes</h1>
    </section>
  );
}
