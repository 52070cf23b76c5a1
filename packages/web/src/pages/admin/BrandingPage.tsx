/** Placeholder until the page is written. */
export function BrandingPage() {
  return (
    <section>
      <h1>Branding</h1>
    </section>
  );
}
