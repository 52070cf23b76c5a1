/**
 * A state as a coloured badge (styles.css colours `badge-<state>`); the word carries the meaning,
 * the colour only helps. `label` is the word when it differs from the state.
 */
export function Badge({ state, label }: { state: string; label?: string }) {
  return <span className={`badge badge-${state.replace(/[^a-z-]/g, "")}`}>{label ?? state}</span>;
}

/** A server's or a host's state. */
export function StatusBadge({ state }: { state: string }) {
  return <Badge state={state} />;
}
