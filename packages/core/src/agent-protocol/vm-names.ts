/**
 * QEMU runtime folders want `[a-z0-9-]`; server ids are `srv_<base32>`. The mapping is
 * one-to-one, so an agent can name the server of any VM folder it finds.
 */
export function vmIdForServer(serverId: string): string {
  return serverId.replace("_", "-");
}

/**
 * The host tap device of a server: `lb` and the last 13 characters of its id (65 random bits),
 * within Linux's 15-character interface names. The agent deletes taps named `lb*` that no
 * desired server owns.
 */
export function tapForServer(serverId: string): string {
  return `lb${serverId.slice(-13)}`;
}

/** Whether an interface name is one of ours (see {@link tapForServer}). */
export function isServerTap(name: string): boolean {
  return /^lb[0-9a-z]{13}$/.test(name);
}

/** The server id of a VM folder name, or undefined for a folder that is not one of ours. */
export function serverIdForVm(vmId: string): string | undefined {
  return /^srv-[0-9a-z]{26}$/.test(vmId) ? vmId.replace("-", "_") : undefined;
}
