/**
 * An answer in EC2's own words: `code` is EC2's error code (`InvalidInstanceID.NotFound`), and
 * the /ec2 route writes it as EC2's error XML with `status`. Only the EC2 feature throws it; the
 * services below throw domain errors, which `ec2ErrorOf` translates.
 */
export class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "Ec2Error";
  }
}

/** Credentials missing, malformed, unknown, revoked, or scoped to another region or service. */
export function authFailure(message: string): Ec2Error {
  return new Ec2Error("AuthFailure", message, 401);
}

export function missingParameter(name: string): Ec2Error {
  return new Ec2Error("MissingParameter", `The request must contain the parameter ${name}.`);
}

export function invalidParameterValue(name: string, why: string): Ec2Error {
  return new Ec2Error("InvalidParameterValue", `Invalid value for ${name}: ${why}`);
}
