/**
 * An error for the reader, announced to screen readers: a query's or a mutation's error, or the
 * text of one. Nothing when there is none.
 */
export function ErrorMessage({ error }: { error: Error | string | null | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {typeof error === "string" ? error : error.message}
    </p>
  );
}
