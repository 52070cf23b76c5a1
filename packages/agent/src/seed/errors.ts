/** The seed input is invalid (for example a hostname that is not a DNS label). */
export class SeedInputError extends Error {
  constructor(
    readonly instanceId: string,
    readonly field: string,
    detail: string,
  ) {
    super(`invalid cloud-init seed for ${instanceId}: ${field}: ${detail}`);
    this.name = "SeedInputError";
  }
}
