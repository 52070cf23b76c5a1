/** Placeholder until the page is written. */
export function VerifyEmailPage() {
  return (
    <section>
      <h1>Confirm your email</h1>
    </section>
  );
}
