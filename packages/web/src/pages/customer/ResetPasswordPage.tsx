/** Placeholder until the page is written. */
export function ResetPasswordPage() {
  return (
    <section>
      <h1>Choose a new password</h1>
    </section>
  );
}
