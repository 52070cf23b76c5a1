/** Placeholder until the page is written. */
export function SitesPage() {
  return (
    <section>
      <h1>Sites</h1>
    </section>
  );
}
