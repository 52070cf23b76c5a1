import { createReadStream } from "node:fs";
import { extract as tarExtract } from "tar-stream";

/** The name of a tar's first member (an OVA's is its .ovf descriptor), without reading further. */
export async function firstTarEntry(path: string): Promise<string | undefined> {
  const extractor = tarExtract();
  const input = createReadStream(path);
  input.on("error", (err) => extractor.destroy(err));
  input.pipe(extractor);
  try {
    for await (const entry of extractor) return entry.header.name;
    return undefined;
  } catch {
    return undefined;
  } finally {
    extractor.destroy();
    input.destroy();
  }
}
