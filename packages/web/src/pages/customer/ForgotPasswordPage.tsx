/** Placeholder until the page is written. */
export function ForgotPasswordPage() {
  return (
    <section>
      <h1>Forgot your password?</h1>
    </section>
  );
}
