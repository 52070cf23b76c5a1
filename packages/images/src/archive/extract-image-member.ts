import { realpath, rm } from "node:fs/promises";
import { join } from "node:path";
import { ArchiveRejectedError, quote } from "../errors.js";
import type { ChunkSource } from "./byte-queue.js";
import { normaliseEntryName } from "./safe-extract.js";
import { writeSparseFile } from "./sparse-file.js";
import type { SparseForm } from "./sparse-map.js";
import { readTarMembers, type TarMember } from "./sparse-tar.js";

/** Limits and checks for extractImageMember. */
export interface ImageMemberOptions {
  /** Largest real size (holes included) of the image. */
  maxMemberBytes: number;
  /** Most members read before giving up. Default 16. */
  maxEntries?: number;
  /** Called with the member before any of it is written; throw to refuse it. */
  checkMember?: (member: TarMember) => void;
}

/** The image file a tar held. */
export interface ExtractedImageMember {
  name: string;
  path: string;
  size: number;
  storedBytes: number;
  sparseForm: SparseForm | undefined;
  /** Bytes written to disk: the data, less zero runs left as holes. */
  written: number;
}

/** What the image member is written as: the archive's name for it is reported, never a path. */
const IMAGE_FILE = "image-member";

/**
 * Writes the first regular file of a tar stream (plain or sparse, see readTarMembers) into
 * `destination` as `image-member`, keeping holes (its name in the archive is reported as `name`); directories are passed over, links and
 * devices refused. Later members are read and counted, not written, so the caller can insist
 * on exactly one. On any refusal the partial file is removed.
 */
export async function extractImageMember(
  input: ChunkSource,
  destination: string,
  options: ImageMemberOptions,
): Promise<{ file: ExtractedImageMember | undefined; members: number }> {
  const root = await realpath(destination);
  let file: ExtractedImageMember | undefined;
  let members = 0;
  try {
    await readTarMembers(
      input,
      { maxMemberBytes: options.maxMemberBytes, maxEntries: options.maxEntries ?? 16 },
      async (member, content) => {
        if (member.type === "directory") return;
        const name = normaliseEntryName(member.name);
        if (member.type !== "file") {
          throw new ArchiveRejectedError(
            "archive-entry-type",
            `entry ${quote(name)} is a ${member.type === "other" ? `type ${quote(member.typeflag)} entry` : member.type}, not the image file`,
            name,
          );
        }
        members++;
        if (file) return;
        if (name === "" || name.includes("/")) {
          throw new ArchiveRejectedError(
            "archive-path-invalid",
            `image entry ${quote(member.name)} is not a plain file name`,
            member.name,
          );
        }
        options.checkMember?.(member);
        const path = join(root, IMAGE_FILE);
        const written = await writeSparseFile(path, member.mode, member.size, content);
        file = {
          name,
          path,
          size: member.size,
          storedBytes: member.storedBytes,
          sparseForm: member.sparse?.form,
          written,
        };
      },
    );
  } catch (err) {
    if (file) await rm(file.path, { force: true });
    throw err;
  }
  return { file, members };
}
