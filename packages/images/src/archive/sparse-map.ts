import { ArchiveRejectedError, quote } from "../errors.js";

/** A stretch of a sparse member that holds data; everything between them reads as zeros. */
export interface SparseRegion {
  offset: number;
  length: number;
}

/** The sparse forms GNU tar writes (`--format=gnu`, or `--format=pax --sparse-version=X`); bsdtar writes 1.0. */
export type SparseForm = "gnu-old" | "pax-0.0" | "pax-0.1" | "pax-1.0";

/** A checked sparse map: regions in order, inside the real size, adding up to the stored data. */
export interface SparseMap {
  form: SparseForm;
  realSize: number;
  regions: SparseRegion[];
}

/**
 * Most data regions one member may list. A 64 GiB ext4 image has a few thousand; a million
 * regions is already 24 MB of map and nothing a bundler writes for a disk.
 */
export const MAX_SPARSE_REGIONS = 1 << 20;

/** The member's sparse map is wrong; the detail says how. */
export function sparseError(name: string, detail: string): ArchiveRejectedError {
  return new ArchiveRejectedError("archive-sparse-map", `sparse member ${quote(name)}: ${detail}`, name);
}

/** A decimal number from a PAX value or a 1.0 map line; anything else is refused. */
export function sparseDecimal(name: string, text: string | undefined, what: string): number {
  if (text === undefined) throw sparseError(name, `${what} is missing`);
  if (!/^[0-9]{1,16}$/.test(text)) throw sparseError(name, `${what} ${quote(text, 40)} is not a number`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw sparseError(name, `${what} ${text} is too large`);
  return value;
}

/**
 * Checks a map against the member: a count within bounds, regions in order and not
 * overlapping, each inside the real size, and their data adding up to exactly what the member
 * stores (more would read the next member as data; less would leave bytes unexplained).
 */
export function checkSparseMap(
  name: string,
  form: SparseForm,
  realSize: number,
  regions: SparseRegion[],
  storedBytes: number,
  maxRealSize: number,
): SparseMap {
  if (regions.length > MAX_SPARSE_REGIONS) {
    throw sparseError(name, `${regions.length} regions, more than the ${MAX_SPARSE_REGIONS} accepted`);
  }
  if (realSize > maxRealSize) {
    throw sparseError(name, `real size ${realSize} is above the largest accepted, ${maxRealSize} bytes`);
  }
  let end = 0;
  let data = 0;
  regions.forEach((r, i) => {
    if (!Number.isSafeInteger(r.offset) || !Number.isSafeInteger(r.length) || r.offset < 0 || r.length < 0) {
      throw sparseError(name, `region ${i} is not a pair of non-negative integers`);
    }
    if (r.offset < end) {
      throw sparseError(
        name,
        `region ${i} at ${r.offset} overlaps or comes before the previous one, which ends at ${end}`,
      );
    }
    end = r.offset + r.length;
    if (end > realSize) {
      throw sparseError(name, `region ${i} ends at ${end}, past the real size ${realSize}`);
    }
    data += r.length;
  });
  if (data !== storedBytes) {
    throw sparseError(
      name,
      data > storedBytes
        ? `the map claims ${data} bytes of data, the member holds only ${storedBytes}`
        : `the map accounts for ${data} bytes of data, the member holds ${storedBytes}`,
    );
  }
  return { form, realSize, regions: regions.filter((r) => r.length > 0) };
}

/** The sparse form named by a member's PAX records, or undefined for a plain member. */
export function paxSparseForm(name: string, records: Map<string, string>): SparseForm | undefined {
  const major = records.get("GNU.sparse.major");
  const minor = records.get("GNU.sparse.minor");
  if (major !== undefined || minor !== undefined) {
    if (major === "1" && minor === "0") return "pax-1.0";
    throw sparseError(name, `GNU sparse version ${quote(`${major}.${minor}`, 20)} is not one tar writes`);
  }
  if (records.has("GNU.sparse.map")) return "pax-0.1";
  if (records.has("GNU.sparse.offset") || records.has("GNU.sparse.numblocks")) return "pax-0.0";
  return undefined;
}

/**
 * The regions of a PAX 0.0 or 0.1 member, from its records (all of them, in order: 0.0 repeats
 * `GNU.sparse.offset` and `GNU.sparse.numbytes` once per region).
 */
export function paxSparseRegions(
  name: string,
  form: "pax-0.0" | "pax-0.1",
  records: [string, string][],
  last: Map<string, string>,
): SparseRegion[] {
  const declared = last.has("GNU.sparse.numblocks")
    ? sparseDecimal(name, last.get("GNU.sparse.numblocks"), "GNU.sparse.numblocks")
    : undefined;
  if (declared !== undefined && declared > MAX_SPARSE_REGIONS) {
    throw sparseError(name, `${declared} regions, more than the ${MAX_SPARSE_REGIONS} accepted`);
  }
  const regions: SparseRegion[] = [];
  if (form === "pax-0.1") {
    const map = last.get("GNU.sparse.map") ?? "";
    const numbers = map === "" ? [] : map.split(",");
    if (numbers.length % 2 !== 0) throw sparseError(name, "GNU.sparse.map holds an odd count of numbers");
    if (numbers.length / 2 > MAX_SPARSE_REGIONS) {
      throw sparseError(name, `${numbers.length / 2} regions, more than the ${MAX_SPARSE_REGIONS} accepted`);
    }
    for (let i = 0; i < numbers.length; i += 2) {
      regions.push({
        offset: sparseDecimal(name, numbers[i], `GNU.sparse.map offset ${i / 2}`),
        length: sparseDecimal(name, numbers[i + 1], `GNU.sparse.map length ${i / 2}`),
      });
    }
  } else {
    let pending: number | undefined;
    for (const [key, value] of records) {
      if (key === "GNU.sparse.offset") {
        if (pending !== undefined) throw sparseError(name, "GNU.sparse.offset without its numbytes");
        pending = sparseDecimal(name, value, `GNU.sparse.offset ${regions.length}`);
      } else if (key === "GNU.sparse.numbytes") {
        if (pending === undefined) throw sparseError(name, "GNU.sparse.numbytes without an offset");
        regions.push({
          offset: pending,
          length: sparseDecimal(name, value, `GNU.sparse.numbytes ${regions.length}`),
        });
        pending = undefined;
        if (regions.length > MAX_SPARSE_REGIONS) {
          throw sparseError(name, `more than the ${MAX_SPARSE_REGIONS} regions accepted`);
        }
      }
    }
    if (pending !== undefined) throw sparseError(name, "GNU.sparse.offset without its numbytes");
  }
  if (declared !== undefined && declared !== regions.length) {
    throw sparseError(name, `GNU.sparse.numblocks says ${declared} regions, the map lists ${regions.length}`);
  }
  return regions;
}

/**
 * Reads the PAX 1.0 map that starts the member's data: a count, then an offset and a length per
 * region, each a decimal line, padded to whole blocks. `nextBlock` yields the member's blocks;
 * the map may use at most `maxBlocks` of them. Returns the regions and the blocks it used.
 */
export async function readPax10Map(
  name: string,
  nextBlock: () => Promise<Buffer>,
  maxBlocks: number,
): Promise<{ regions: SparseRegion[]; blocks: number }> {
  let blocks = 0;
  let pending = "";
  const lines: string[] = [];
  const line = async (what: string): Promise<string> => {
    while (lines.length === 0) {
      if (blocks >= maxBlocks) throw sparseError(name, `the map runs past the member's data (${what})`);
      const block = await nextBlock();
      blocks++;
      const parts = (pending + block.toString("latin1")).split("\n");
      pending = parts.pop() ?? "";
      lines.push(...parts);
      // Lines are numbers of at most 16 digits: a longer run is not a map.
      if (pending.replace(/\0+$/, "").length > 16)
        throw sparseError(name, `the map's ${what} is not a number`);
    }
    return lines.shift()!;
  };
  const count = sparseDecimal(name, await line("region count"), "the map's region count");
  if (count > MAX_SPARSE_REGIONS) {
    throw sparseError(name, `${count} regions, more than the ${MAX_SPARSE_REGIONS} accepted`);
  }
  const regions: SparseRegion[] = [];
  for (let i = 0; i < count; i++) {
    const offset = sparseDecimal(name, await line(`offset ${i}`), `the map's offset ${i}`);
    const length = sparseDecimal(name, await line(`length ${i}`), `the map's length ${i}`);
    regions.push({ offset, length });
  }
  // What follows the last line up to the block's end is padding.
  if (/[^\0]/.test(pending) || lines.some((l) => /[^\0]/.test(l))) {
    throw sparseError(name, "the map's last block holds more than its padding");
  }
  return { regions, blocks };
}
