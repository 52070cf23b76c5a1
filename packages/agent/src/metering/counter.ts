import { CounterParseError, CounterUnreadableError } from "./errors.js";
import type { FileReader } from "./file-reader.js";
import { errnoCode } from "./file-reader.js";

/** Reads a sysfs file holding one non-negative integer; bigint because 64-bit µJ counters outgrow doubles. */
export async function readCounter(reader: FileReader, path: string): Promise<bigint> {
  let text: string;
  try {
    text = await reader.readText(path);
  } catch (err) {
    throw new CounterUnreadableError(path, errnoCode(err) ?? "EIO");
  }
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) throw new CounterParseError(path, text);
  return BigInt(trimmed);
}

/** Reads an optional text file, returning undefined when it is missing or unreadable. */
export async function readOptional(reader: FileReader, path: string): Promise<string | undefined> {
  try {
    return (await reader.readText(path)).trim();
  } catch {
    return undefined;
  }
}

/** Lists a directory, returning [] when it does not exist. */
export async function listOptional(reader: FileReader, dir: string): Promise<string[]> {
  try {
    return await reader.list(dir);
  } catch {
    return [];
  }
}

/** Converts a bigint that is known to be small (an interval's energy) to a number. */
export function toNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`${value} exceeds the safe integer range`);
  return Number(value);
}
