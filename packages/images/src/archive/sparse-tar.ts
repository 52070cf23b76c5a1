import { ArchiveRejectedError, quote } from "../errors.js";
import { ByteQueue, type ChunkSource } from "./byte-queue.js";
import {
  checkSparseMap,
  MAX_SPARSE_REGIONS,
  paxSparseForm,
  paxSparseRegions,
  readPax10Map,
  sparseDecimal,
  sparseError,
  type SparseMap,
  type SparseRegion,
} from "./sparse-map.js";
import { gnuSparseEntries, isZeroBlock, malformed, parsePaxRecords, parseTarHeader } from "./tar-header.js";

/** One member of a tar, with GNU and PAX extensions applied. */
export interface TarMember {
  /** As the archive names it (PAX `path`, GNU long name, or `GNU.sparse.name`); not yet checked. */
  name: string;
  type: "file" | "directory" | "symlink" | "link" | "other";
  typeflag: string;
  mode: number;
  linkname: string;
  /** The file's real size: for a sparse member, holes included. */
  size: number;
  /** Data bytes the archive stores for it (for a sparse member, the regions only). */
  storedBytes: number;
  /** Set for a sparse member: the checked map. */
  sparse?: SparseMap;
}

/** A piece of a member's content and where it goes in the file. */
export interface MemberChunk {
  position: number;
  data: Buffer;
}

/** Limits for reading a tar stream. */
export interface TarReadLimits {
  /** Largest real size of one member. */
  maxMemberBytes: number;
  /** Most members (directories included). */
  maxEntries: number;
}

/** A PAX header may hold a 0.0 sparse map of many regions, but never more than this. */
const MAX_PAX_BYTES = 64 * 1024 * 1024;
const MAX_LONG_NAME = 64 * 1024;

const blocksOf = (bytes: number) => Math.ceil(bytes / 512);

function memberType(typeflag: string): TarMember["type"] {
  if (typeflag === "0" || typeflag === "7" || typeflag === "S") return "file";
  if (typeflag === "5") return "directory";
  if (typeflag === "2") return "symlink";
  if (typeflag === "1") return "link";
  return "other";
}

/**
 * Reads a tar stream (ustar, GNU, PAX) member by member, streaming, and hands each to
 * `onMember` with its content as positioned chunks: a sparse member (old GNU type `S` with
 * its extension headers, PAX 0.0, 0.1 or 1.0) yields only its data regions, at their real
 * offsets, so the holes never exist as bytes. Every map is checked before any data is handed
 * on (sparse-map.ts). Whatever `onMember` leaves unread is skipped.
 */
export async function readTarMembers(
  input: ChunkSource,
  limits: TarReadLimits,
  onMember: (member: TarMember, content: AsyncGenerator<MemberChunk>) => Promise<void>,
): Promise<void> {
  const queue = new ByteQueue(input);
  let pax = new Map<string, string>();
  let paxRecords: [string, string][] = [];
  let longName: string | undefined;
  let longLink: string | undefined;
  let members = 0;
  const exact = async (bytes: number, what: string): Promise<Buffer> => {
    const buffer = await queue.take(bytes);
    if (buffer.length !== bytes) throw malformed(`the stream ends inside ${what}`);
    return buffer;
  };
  const body = async (size: number, max: number, what: string): Promise<Buffer> => {
    if (size > max) throw malformed(`${what} of ${size} bytes is larger than ${max}`);
    const buffer = await exact(blocksOf(size) * 512, what);
    return buffer.subarray(0, size);
  };
  try {
    for (;;) {
      const block = await queue.take(512);
      if (block.length === 0) return;
      if (block.length !== 512) throw malformed("the stream ends inside a header");
      if (isZeroBlock(block)) {
        await queue.drain();
        return;
      }
      const header = parseTarHeader(block);
      if (header.typeflag === "x" || header.typeflag === "g") {
        const records = parsePaxRecords(await body(header.size, MAX_PAX_BYTES, "a PAX header"));
        if (header.typeflag === "x") {
          paxRecords = records;
          pax = new Map(records);
        }
        continue;
      }
      if (header.typeflag === "L" || header.typeflag === "K") {
        const text = (await body(header.size, MAX_LONG_NAME, "a GNU long name")).toString("utf8");
        const value = text.replace(/\0+$/, "");
        if (header.typeflag === "L") longName = value;
        else longLink = value;
        continue;
      }
      if (++members > limits.maxEntries) {
        throw new ArchiveRejectedError("archive-too-many-entries", `more than ${limits.maxEntries} entries`);
      }
      let name = longName ?? pax.get("path") ?? header.name;
      const linkname = longLink ?? pax.get("linkpath") ?? header.linkname;
      let stored = pax.has("size") ? sparseDecimal(name, pax.get("size"), "PAX size") : header.size;
      const type = memberType(header.typeflag);
      let sparse: SparseMap | undefined;
      let mapBlocks = 0;
      const form =
        header.typeflag === "S" ? "gnu-old" : type === "file" ? paxSparseForm(name, pax) : undefined;
      if (form !== undefined && form !== "gnu-old") name = pax.get("GNU.sparse.name") ?? name;
      if (form === "gnu-old") {
        const gnu = header.gnuSparse!;
        const regions: SparseRegion[] = [...gnu.regions];
        for (let extended = gnu.isExtended; extended;) {
          const ext = await exact(512, "a GNU sparse extension header");
          regions.push(...gnuSparseEntries(ext, 0, 21));
          extended = ext[504] !== 0;
          if (regions.length > MAX_SPARSE_REGIONS) {
            throw sparseError(name, `more than the ${MAX_SPARSE_REGIONS} regions accepted`);
          }
        }
        sparse = checkSparseMap(name, form, gnu.realSize, regions, stored, limits.maxMemberBytes);
      } else if (form === "pax-1.0") {
        const realSize = sparseDecimal(name, pax.get("GNU.sparse.realsize"), "GNU.sparse.realsize");
        const map = await readPax10Map(name, () => exact(512, "a sparse map"), blocksOf(stored));
        mapBlocks = map.blocks;
        stored -= map.blocks * 512;
        sparse = checkSparseMap(name, form, realSize, map.regions, stored, limits.maxMemberBytes);
      } else if (form !== undefined) {
        const realSize = sparseDecimal(
          name,
          pax.get("GNU.sparse.size") ?? pax.get("GNU.sparse.realsize"),
          "GNU.sparse.size",
        );
        const regions = paxSparseRegions(name, form, paxRecords, pax);
        sparse = checkSparseMap(name, form, realSize, regions, stored, limits.maxMemberBytes);
      } else if (type === "file" && stored > limits.maxMemberBytes) {
        throw new ArchiveRejectedError(
          "archive-size",
          `entry ${quote(name)} of ${stored} bytes is above the largest accepted, ${limits.maxMemberBytes}`,
          name,
        );
      }
      pax = new Map();
      paxRecords = [];
      longName = undefined;
      longLink = undefined;
      const regions = sparse?.regions ?? (type === "file" ? [{ offset: 0, length: stored }] : []);
      let consumed = 0;
      async function* content(): AsyncGenerator<MemberChunk> {
        for (const region of regions) {
          let position = region.offset;
          for await (const data of queue.chunks(region.length)) {
            consumed += data.length;
            yield { position, data };
            position += data.length;
          }
          if (position !== region.offset + region.length)
            throw malformed(`the stream ends inside ${quote(name)}`);
        }
      }
      await onMember(
        {
          name,
          type,
          typeflag: header.typeflag,
          mode: header.mode,
          linkname,
          size: sparse?.realSize ?? (type === "file" ? stored : 0),
          storedBytes: stored,
          ...(sparse ? { sparse } : {}),
        },
        content(),
      );
      // Skip what the caller did not read: the rest of the data and the last block's padding.
      let skip = blocksOf(stored + mapBlocks * 512) * 512 - mapBlocks * 512 - consumed;
      while (skip > 0) {
        const piece = await queue.take(Math.min(skip, 1024 * 1024));
        if (piece.length === 0) throw malformed(`the stream ends inside ${quote(name)}`);
        skip -= piece.length;
      }
    }
  } finally {
    await queue.close();
  }
}
