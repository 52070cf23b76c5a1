/** Placeholder until the page is written. */
export function DashboardPage() {
  return (
    <section>
      <h1>Dashboard</h1>
    </section>
  );
}
