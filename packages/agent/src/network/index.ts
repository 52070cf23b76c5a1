export {
  TapError,
  checkInterfaceName,
  deleteTap,
  ensureTap,
  isLinuxBridge,
  listServerTaps,
  readTapCounters,
  removeIdleTaps,
  tapIsAttached,
} from "./taps.js";
export type { TapCounters } from "./taps.js";
export {
  TapTransferMeter,
  readTapCounterSnapshot,
  sysfsTapCounterSource,
  transferSince,
  writeTapCounterSnapshot,
} from "./tap-transfer.js";
export type { TapCounterSnapshot, TapCounterSource, TapTransfer } from "./tap-transfer.js";
export {
  TAP_FILTER_TABLE,
  TapFilterError,
  applyTapFilter,
  checkNftables,
  listFilteredTaps,
  parseFilteredTaps,
  removeStaleTapFilters,
  removeTapFilter,
  renderTapFilter,
  renderTapFilterRemoval,
  tapFilterChain,
} from "./tap-filter.js";
