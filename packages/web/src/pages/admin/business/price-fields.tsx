import { Field } from "../../../components/Field";
import { errorFor, LocalError } from "../../../components/errors";
import { minorToInput, parseMinor } from "../../../format";

/** An amount typed in a currency, in minor units; a LocalError naming `field` when it is not one. */
export function amount(text: string, currency: string, field: string): number {
  const minor = parseMinor(text, currency);
  if (minor === undefined) throw new LocalError(field, "Enter an amount such as 4.50.");
  return minor;
}

/**
 * The two fields of a price on one plan (`prices[0]` of a price list's PUT): per hour and the
 * monthly cap, in the plan's currency, each showing what it is priced against as its placeholder.
 */
export function HourlyAndCapFields(props: {
  currency: string;
  labels: { hourly: string; cap: string };
  against: { hourlyMinor: number | null; capMinor: number | null };
  hourly: string;
  cap: string;
  onHourly: (text: string) => void;
  onCap: (text: string) => void;
  error: unknown;
}) {
  const { currency, labels, against, error } = props;
  return (
    <div className="biz-pair">
      <Field label={`${labels.hourly} (${currency})`} error={errorFor(error, "prices[0].hourly_price_minor")}>
        {(field) => (
          <input
            {...field}
            inputMode="decimal"
            placeholder={minorToInput(against.hourlyMinor, currency)}
            value={props.hourly}
            onChange={(e) => props.onHourly(e.target.value)}
          />
        )}
      </Field>
      <Field label={`${labels.cap} (${currency})`} error={errorFor(error, "prices[0].monthly_cap_minor")}>
        {(field) => (
          <input
            {...field}
            inputMode="decimal"
            placeholder={minorToInput(against.capMinor, currency)}
            value={props.cap}
            onChange={(e) => props.onCap(e.target.value)}
          />
        )}
      </Field>
    </div>
  );
}
