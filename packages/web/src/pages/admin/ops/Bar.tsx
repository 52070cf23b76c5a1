import { watts } from "../../../format";

/** A used/total bar with its numbers in words; the bar itself only helps the eye. */
export function CapacityBar(props: {
  label: string;
  used: number;
  total: number;
  format: (n: number) => string;
}) {
  const share = props.total > 0 ? Math.min(1, props.used / props.total) : 0;
  const free = Math.max(0, props.total - props.used);
  return (
    <div className="ops-bar">
      <div className="ops-bar-label">
        <span>{props.label}</span>
        <span>
          {props.format(props.used)} of {props.format(props.total)} used · {props.format(free)} free
        </span>
      </div>
      <div className="ops-bar-track" aria-hidden="true">
        <div
          className={`ops-bar-fill${share >= 0.9 ? " ops-full" : ""}`}
          style={{ width: `${Math.round(share * 100)}%` }}
        />
      </div>
    </div>
  );
}

/** Power now, or why there is none; the element with the test id holds only the number ("42 W"). */
export function PowerNow(props: { watts: number | null; estimated: boolean; testId: string }) {
  if (props.watts === null) {
    return (
      <span data-testid={props.testId} className="muted">
        no recent sample
      </span>
    );
  }
  return (
    <>
      <span data-testid={props.testId}>{watts(props.watts)}</span>
      {props.estimated && (
        <small className="ops-est" title="From the host power model, not a meter">
          estimated
        </small>
      )}
    </>
  );
}
