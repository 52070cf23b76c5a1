/** Formatting shared by the create-server wizard and the server page. */

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, extraDigits = 0): Intl.NumberFormat {
  const key = `${currency}:${extraDigits}`;
  let format = moneyFormats.get(key);
  if (!format) {
    const base = new Intl.NumberFormat(undefined, { style: "currency", currency });
    const digits = base.resolvedOptions().maximumFractionDigits ?? 2;
    format =
      extraDigits === 0
        ? base
        : new Intl.NumberFormat(undefined, {
            style: "currency",
            currency,
            minimumFractionDigits: digits,
            maximumFractionDigits: digits + extraDigits,
          });
    moneyFormats.set(key, format);
  }
  return format;
}

/** Digits after the decimal point of a currency's minor unit (2 for CAD, 0 for JPY). */
export function minorDigits(currency: string): number {
  return moneyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in integer minor units (cents) as money, e.g. 1234 CAD → "CA$12.34". */
export function money(minor: number, currency: string): string {
  return moneyFormat(currency).format(minor / 10 ** minorDigits(currency));
}

/** A small amount in (fractional) minor units with extra precision, for prices per kWh. */
export function fineMoney(minor: number, currency: string, extraDigits = 2): string {
  return moneyFormat(currency, extraDigits).format(minor / 10 ** minorDigits(currency));
}

/** The flag emoji of an ISO 3166 country code: two regional-indicator letters. */
export function flag(countryCode: string): string {
  const code = countryCode.toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) return "";
  return String.fromCodePoint(...[...code].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

let regionNames: Intl.DisplayNames | undefined;

/** A country's name in the reader's language ("CA" → "Canada"); the code when unknown. */
export function countryName(countryCode: string): string {
  try {
    regionNames ??= new Intl.DisplayNames(undefined, { type: "region" });
    return regionNames.of(countryCode.toUpperCase()) ?? countryCode;
  } catch {
    return countryCode;
  }
}

/** A number with at most `digits` decimals, in the reader's locale. */
export function num(value: number, digits = 1): string {
  return value.toLocaleString(undefined, { maximumFractionDigits: digits });
}

/** Memory in MiB as "512 MiB" or "2 GiB". */
export function memory(mib: number): string {
  return mib >= 1024 ? `${num(mib / 1024)} GiB` : `${mib} MiB`;
}

/** Carbon in grams as "0.04 g", "850 g" or "1.2 kg". */
export function carbon(grams: number): string {
  if (grams >= 1000) return `${num(grams / 1000, 2)} kg`;
  return `${num(grams, grams < 1 ? 3 : grams < 10 ? 1 : 0)} g`;
}

/** Energy in kWh as "12.3 Wh" below a kilowatt-hour, "4.56 kWh" above. */
export function energy(kwh: number): string {
  return kwh < 1 ? `${num(kwh * 1000, kwh < 0.01 ? 2 : 1)} Wh` : `${num(kwh, 2)} kWh`;
}
