/** Placeholder until the page is written. */
export function AuditPage() {
  return (
    <section>
      <h1>Audit log</h1>
    </section>
  );
}
