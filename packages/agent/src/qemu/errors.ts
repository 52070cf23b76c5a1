/** A QMP command answered with an error object. */
export class QmpCommandError extends Error {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    readonly description: string,
  ) {
    super(`QMP ${command} failed: ${errorClass}: ${description}`);
    this.name = "QmpCommandError";
  }
}

/** A QMP command, the greeting or the connection did not answer in time. */
export class QmpTimeoutError extends Error {
  constructor(
    readonly socketPath: string,
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`QMP ${command} on ${socketPath} got no answer within ${timeoutMs} ms`);
    this.name = "QmpTimeoutError";
  }
}

/** The QMP socket closed (QEMU exited, or the client was closed) before an answer came. */
export class QmpConnectionClosedError extends Error {
  constructor(
    readonly socketPath: string,
    readonly command: string | undefined,
    cause?: Error,
  ) {
    super(`QMP connection to ${socketPath} closed${command ? ` while waiting for ${command}` : ""}`, {
      cause,
    });
    this.name = "QmpConnectionClosedError";
  }
}

/** QEMU sent something that is not QMP. */
export class QmpProtocolError extends Error {
  constructor(
    readonly socketPath: string,
    detail: string,
  ) {
    super(`QMP protocol error on ${socketPath}: ${detail}`);
    this.name = "QmpProtocolError";
  }
}

/** No VM with this server id is known on this host. */
export class VmNotFoundError extends Error {
  constructor(readonly serverId: string) {
    super(`no VM ${serverId} on this host`);
    this.name = "VmNotFoundError";
  }
}

/** The operation needs a running VM. */
export class VmNotRunningError extends Error {
  constructor(
    readonly serverId: string,
    readonly operation: string,
  ) {
    super(`cannot ${operation} VM ${serverId}: it is not running`);
    this.name = "VmNotRunningError";
  }
}

/** QEMU exited or failed while a VM was being started. Carries the tail of qemu.log. */
export class VmStartError extends Error {
  constructor(
    readonly serverId: string,
    readonly logTail: string,
    cause?: unknown,
  ) {
    super(`VM ${serverId} failed to start${logTail ? `: ${logTail}` : ""}`, { cause });
    this.name = "VmStartError";
  }
}

/** A VM spec or driver option is invalid. */
export class VmSpecError extends Error {
  constructor(
    readonly serverId: string | undefined,
    detail: string,
  ) {
    super(serverId ? `invalid spec for VM ${serverId}: ${detail}` : `invalid QEMU driver option: ${detail}`);
    this.name = "VmSpecError";
  }
}

/** The QEMU process could not be made to exit, even with SIGKILL. */
export class VmStopError extends Error {
  constructor(
    readonly serverId: string,
    readonly pid: number,
  ) {
    super(`VM ${serverId} (pid ${pid}) did not exit`);
    this.name = "VmStopError";
  }
}
