/** Placeholder until the page is written. */
export function TicketPage() {
  return (
    <section>
      <h1>Ticket</h1>
    </section>
  );
}
