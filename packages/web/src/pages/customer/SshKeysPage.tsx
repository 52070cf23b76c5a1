/** Placeholder until the page is written. */
export function SshKeysPage() {
  return (
    <section>
      <h1>SSH keys</h1>
    </section>
  );
}
