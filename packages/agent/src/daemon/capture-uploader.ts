import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { CaptureMethod } from "@layerboom/core";

/** Options for {@link CaptureUploader}. */
export interface CaptureUploaderOptions {
  controllerUrl: string;
  credential: string;
}

/**
 * Sends a capture's copy of a disk to the controller (`PUT /agent/v1/captures/<id>`), which
 * stores it in the capture job's folder. The copy's sha256 and size go with it, read from the
 * file first, so the controller can refuse one that arrives otherwise. The body is streamed,
 * never held in memory.
 */
export class CaptureUploader {
  constructor(private readonly options: CaptureUploaderOptions) {}

  async upload(captureId: string, path: string, method: CaptureMethod): Promise<void> {
    const { size } = await stat(path);
    const hash = createHash("sha256");
    await pipeline(createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }), hash);
    const query = new URLSearchParams({ method, sha256: hash.digest("hex"), size_bytes: String(size) });
    const url = new URL(
      `/agent/v1/captures/${encodeURIComponent(captureId)}?${query.toString()}`,
      this.options.controllerUrl,
    );
    const body = Readable.toWeb(createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }));
    const res = await fetch(url, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${this.options.credential}`,
        "content-type": "application/octet-stream",
        "content-length": String(size),
      },
      body,
      duplex: "half",
    });
    if (res.status !== 204) {
      const text = (await res.text().catch(() => "")).slice(0, 500);
      throw new Error(`the controller refused the capture's upload: HTTP ${res.status} ${text}`);
    }
  }
}
