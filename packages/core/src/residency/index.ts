export {
  MAX_JURISDICTION_CODE_LENGTH,
  MAX_REQUIRED_JURISDICTIONS,
  ResidencyViolationError,
  assertResidency,
  describeResidency,
  isJurisdictionCode,
  jurisdictionCodeProblem,
  jurisdictionSatisfies,
  parseJurisdictionCode,
  parseJurisdictionCodes,
  residencyAllows,
  residencyNarrows,
} from "./residency.js";
