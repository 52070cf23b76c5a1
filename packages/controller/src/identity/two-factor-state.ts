import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";

/** Where a user stands: no second factor, one, or an account that requires one the user lacks. */
export type TwoFactorState = "off" | "on" | "must-enrol";

/** The state from the two columns that decide it (user_two_factor.enabled_at, two_factor_policies.required). */
export function twoFactorStateFrom(
  enabledAt: Date | null | undefined,
  required: boolean | null | undefined,
): TwoFactorState {
  if (enabledAt) return "on";
  return required ? "must-enrol" : "off";
}

/** A user's two-factor state, as the login needs it. */
export async function twoFactorStateOf(db: Kysely<Schema>, userId: string): Promise<TwoFactorState> {
  const row = await db
    .selectFrom("users")
    .leftJoin("user_two_factor", "user_two_factor.user_id", "users.id")
    .leftJoin("two_factor_policies", "two_factor_policies.account_id", "users.account_id")
    .select(["user_two_factor.enabled_at", "two_factor_policies.required"])
    .where("users.id", "=", userId)
    .executeTakeFirst();
  return twoFactorStateFrom(row?.enabled_at, row?.required);
}
