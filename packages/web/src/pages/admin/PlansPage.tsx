/** Placeholder until the page is written. */
export function PlansPage() {
  return (
    <section>
      <h1>Plans and prices</h1>
    </section>
  );
}
