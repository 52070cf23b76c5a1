/** One progress report from a running conversion. */
export interface ConvertProgress {
  percent: number;
  /** Bytes of the virtual disk processed so far (estimated from the percentage). */
  bytesDone: number;
  totalBytes: number;
  /** Bytes per second since the start. */
  bytesPerSecond: number;
  /** Seconds left at the current rate; undefined until a rate is known. */
  etaSeconds: number | undefined;
}

/**
 * Turns `qemu-img convert -p` output lines ("    (42.00/100%)") into progress reports.
 * qemu-img only prints a percentage, so bytes, rate and ETA are derived from the virtual size.
 */
export function createProgressParser(
  totalBytes: number,
  onProgress: (progress: ConvertProgress) => void,
  now: () => number = Date.now,
): (line: string) => void {
  const started = now();
  let last = -1;
  return (line) => {
    const match = /\((\d+(?:\.\d+)?)\/100%\)/.exec(line);
    if (!match) return;
    const percent = Math.min(100, Number(match[1]));
    if (percent === last) return;
    last = percent;
    const bytesDone = Math.round((totalBytes * percent) / 100);
    const elapsed = (now() - started) / 1000;
    const bytesPerSecond = elapsed > 0 ? bytesDone / elapsed : 0;
    const etaSeconds = bytesPerSecond > 0 ? (totalBytes - bytesDone) / bytesPerSecond : undefined;
    onProgress({ percent, bytesDone, totalBytes, bytesPerSecond, etaSeconds });
  };
}
