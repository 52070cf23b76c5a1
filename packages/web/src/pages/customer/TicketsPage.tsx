/** Placeholder until the page is written. */
export function TicketsPage() {
  return (
    <section>
      <h1>Support</h1>
    </section>
  );
}
