/** Placeholder until the page is written. */
export function AccountsPage() {
  return (
    <section>
      <h1>Customers and resellers</h1>
    </section>
  );
}
