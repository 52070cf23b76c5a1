/** One member of a hand-built tar; hostile fixtures need shapes that tar libraries refuse to write. */
export interface TarMember {
  name: string;
  type?: "file" | "dir" | "symlink" | "hardlink" | "char" | "block" | "fifo";
  body?: Buffer;
  linkname?: string;
  mode?: number;
}

const TYPEFLAG: Record<NonNullable<TarMember["type"]>, string> = {
  file: "0",
  hardlink: "1",
  symlink: "2",
  char: "3",
  block: "4",
  dir: "5",
  fifo: "6",
};

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

/** The 512-byte ustar header of a member whose body is `size` bytes (for streaming a large body). */
export function tarHeader(m: Omit<TarMember, "body">, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(m.name, 0, 100, "utf8");
  h.write(octal(m.mode ?? (m.type === "dir" ? 0o755 : 0o644), 8), 100, "latin1");
  h.write(octal(0, 8), 108, "latin1");
  h.write(octal(0, 8), 116, "latin1");
  h.write(octal(m.type === undefined || m.type === "file" ? size : 0, 12), 124, "latin1");
  h.write(octal(1_700_000_000, 12), 136, "latin1");
  h.write("        ", 148, "latin1");
  h.write(TYPEFLAG[m.type ?? "file"], 156, "latin1");
  h.write(m.linkname ?? "", 157, 100, "utf8");
  h.write("ustar\0", 257, "latin1");
  h.write("00", 263, "latin1");
  h.write(octal(1, 8), 329, "latin1");
  h.write(octal(3, 8), 337, "latin1");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + " ", 148, "latin1");
  return h;
}

/** Builds a POSIX ustar archive byte for byte, with no checks at all. */
export function buildTar(members: readonly TarMember[]): Buffer {
  const blocks: Buffer[] = [];
  for (const m of members) {
    const body = m.body ?? Buffer.alloc(0);
    blocks.push(tarHeader(m, body.length));
    if (m.type === undefined || m.type === "file") {
      blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
