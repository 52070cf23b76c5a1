/** A date and time (or a date alone) in the reader's locale, as a `<time>` with the full time on hover. */
export function DateTime({ value, dateOnly }: { value: string; dateOnly?: boolean }) {
  const date = new Date(value);
  return (
    <time dateTime={value} title={date.toLocaleString()}>
      {dateOnly ? date.toLocaleDateString() : date.toLocaleString()}
    </time>
  );
}
