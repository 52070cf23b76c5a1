/** Placeholder until the page is written. */
export function HostsPage() {
  return (
    <section>
      <h1>Hosts</h1>
    </section>
  );
}
