/** Placeholder until the page is written. */
export function SignupPage() {
  return (
    <section>
      <h1>Sign up</h1>
    </section>
  );
}
