import { ArchiveRejectedError } from "../errors.js";

/** One tar header block, as read from its 512 bytes (POSIX ustar, GNU and old GNU layouts). */
export interface RawTarHeader {
  name: string;
  mode: number;
  /** The size field: the bytes stored after this header (for a sparse member, the data only). */
  size: number;
  typeflag: string;
  linkname: string;
  /** "gnu" for the old GNU magic ("ustar  \0"), which carries the sparse fields below. */
  magic: "ustar" | "gnu" | "v7";
  /** Old GNU sparse (type `S`): the four map entries in the header itself. */
  gnuSparse?: { regions: { offset: number; length: number }[]; isExtended: boolean; realSize: number };
}

/** Refuses malformed tar input, naming what was wrong. */
export function malformed(detail: string): ArchiveRejectedError {
  return new ArchiveRejectedError("archive-malformed", `tar stream is malformed: ${detail}`);
}

/**
 * A numeric tar field: octal text (NUL- or space-terminated), or GNU's base-256 form (high bit
 * of the first byte set) which tar uses above 8 GiB. Negative or unsafe values are refused.
 */
export function tarNumber(field: Buffer, what: string): number {
  const first = field[0] ?? 0;
  if (first & 0x80) {
    if (first === 0xff) throw malformed(`${what} is negative`);
    let value = BigInt(first & 0x7f);
    for (let i = 1; i < field.length; i++) value = (value << 8n) | BigInt(field[i]!);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed(`${what} ${value} is too large`);
    return Number(value);
  }
  const text = field
    .toString("latin1")
    .replace(/[\0 ]+$/, "")
    .replace(/^ +/, "");
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw malformed(`${what} ${JSON.stringify(text)} is not an octal number`);
  const value = parseInt(text, 8);
  if (!Number.isSafeInteger(value)) throw malformed(`${what} ${text} is too large`);
  return value;
}

function cString(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString("utf8");
}

/** True for one of the two all-zero blocks that end an archive. */
export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

/** Reads `count` old-GNU sparse entries (offset and length, 12 bytes each) from `block` at `at`. */
export function gnuSparseEntries(
  block: Buffer,
  at: number,
  count: number,
): { offset: number; length: number }[] {
  const regions: { offset: number; length: number }[] = [];
  for (let i = 0; i < count; i++) {
    const base = at + i * 24;
    // An entry whose offset field is empty ends the list.
    if (block[base] === 0) break;
    regions.push({
      offset: tarNumber(block.subarray(base, base + 12), "sparse offset"),
      length: tarNumber(block.subarray(base + 12, base + 24), "sparse length"),
    });
  }
  return regions;
}

/** Parses and checksums one 512-byte header block. */
export function parseTarHeader(block: Buffer): RawTarHeader {
  const stored = tarNumber(block.subarray(148, 156), "header checksum");
  let sum = 8 * 0x20;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += block[i]!;
  if (sum !== stored) throw malformed("a header's checksum does not match");
  const magicText = block.subarray(257, 265).toString("latin1");
  const magic = magicText === "ustar  \0" ? "gnu" : magicText.startsWith("ustar") ? "ustar" : "v7";
  const typeflag = block[156] === 0 ? "0" : String.fromCharCode(block[156]!);
  let name = cString(block.subarray(0, 100));
  if (magic === "ustar") {
    const prefix = cString(block.subarray(345, 500));
    if (prefix !== "") name = `${prefix}/${name}`;
  }
  const header: RawTarHeader = {
    name,
    mode: tarNumber(block.subarray(100, 108), "mode"),
    size: tarNumber(block.subarray(124, 136), "size"),
    typeflag,
    linkname: cString(block.subarray(157, 257)),
    magic,
  };
  if (typeflag === "S") {
    if (magic !== "gnu") throw malformed("a GNU sparse member (type S) lacks the GNU magic");
    header.gnuSparse = {
      regions: gnuSparseEntries(block, 386, 4),
      isExtended: block[482] !== 0,
      realSize: tarNumber(block.subarray(483, 495), "sparse real size"),
    };
  }
  return header;
}

/**
 * The records of a PAX extended header ("<length> <key>=<value>\n"), in order: the PAX 0.0
 * sparse form repeats its keys, so a map would lose all but the last.
 */
export function parsePaxRecords(body: Buffer): [string, string][] {
  const records: [string, string][] = [];
  let at = 0;
  while (at < body.length) {
    if (body[at] === 0) break;
    const space = body.indexOf(0x20, at);
    const lengthText = space === -1 ? "" : body.subarray(at, space).toString("latin1");
    const length = Number(lengthText);
    if (
      !/^[1-9][0-9]{0,9}$/.test(lengthText) ||
      at + length > body.length ||
      body[at + length - 1] !== 0x0a
    ) {
      throw malformed(`a PAX record at byte ${at} of its header has a bad length`);
    }
    const record = body.subarray(space + 1, at + length - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq <= 0) throw malformed(`a PAX record at byte ${at} of its header has no key`);
    records.push([record.slice(0, eq), record.slice(eq + 1)]);
    at += length;
  }
  return records;
}
