import { createHash } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { pathInside } from "../blobs/path-inside.js";

/** The digests of a job's source file, kept beside it so no stage has to read it again. */
export interface SourceSums {
  sha256: string;
  md5: string;
  bytes: number;
}

const FILE = "source.sums.json";

/**
 * sha256 and md5 of a source computed while it arrives (upload or download), so verifying a
 * published checksum costs no extra pass over a multi-GiB file.
 */
export class SourceDigests {
  private readonly sha256 = createHash("sha256");
  private readonly md5 = createHash("md5");
  private bytes = 0;

  update(chunk: Buffer): void {
    this.sha256.update(chunk);
    this.md5.update(chunk);
    this.bytes += chunk.length;
  }

  /** Writes the sums beside the source (atomically: a crash leaves either none or all). */
  async save(dir: string): Promise<SourceSums> {
    const sums = { sha256: this.sha256.digest("hex"), md5: this.md5.digest("hex"), bytes: this.bytes };
    await writeFile(pathInside(dir, `${FILE}.tmp`), JSON.stringify(sums));
    await rename(pathInside(dir, `${FILE}.tmp`), pathInside(dir, FILE));
    return sums;
  }
}

/** The saved sums of a job's source, if they were written. */
export async function loadSourceSums(dir: string): Promise<SourceSums | undefined> {
  try {
    return JSON.parse(await readFile(pathInside(dir, FILE), "utf8")) as SourceSums;
  } catch {
    return undefined;
  }
}
