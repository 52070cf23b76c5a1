import { randomBytes } from "node:crypto";

/** 17 lower-case hex digits, as EC2's long ids have (68 random bits). */
function hex17(): string {
  return randomBytes(9).toString("hex").slice(0, 17);
}

/** A new instance id, `i-` and 17 hex digits. Servers also get one from the column default. */
export function newInstanceId(): string {
  return `i-${hex17()}`;
}

/** A new reservation id, `r-` and 17 hex digits. */
export function newReservationId(): string {
  return `r-${hex17()}`;
}

/** The reservation of a server that no RunInstances made: its own, named after its instance id. */
export function reservationOf(server: { ec2_id: string; ec2_reservation_id: string | null }): string {
  return server.ec2_reservation_id ?? `r-${server.ec2_id.slice(2)}`;
}

export const INSTANCE_ID = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
export const IMAGE_ID = /^ami-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
export const KEY_PAIR_ID = /^key-[0-9a-f]{17}$/;
/** Our own ids, which EC2 calls accept too (`srv_…`, `img_…`). */
export const LAYERBOOM_ID = /^[a-z]+_[0-9a-z]{26}$/;
