import { InvalidInputError, NotFoundError } from "@layerboom/core";

/** Turns "not found" on a referenced resource into a 400 that names the field. */
export async function mustReference<T>(field: string, lookup: () => Promise<T>): Promise<T> {
  try {
    return await lookup();
  } catch (err) {
    if (err instanceof NotFoundError)
      throw new InvalidInputError(field, `Unknown ${err.resource} ${err.id}.`);
    throw err;
  }
}
