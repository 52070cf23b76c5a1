/** Hand-built disk image headers, valid or deliberately broken, for the hostile corpus. */

/** Options for a minimal qcow2 file. */
export interface Qcow2Spec {
  virtualSize: number | bigint;
  version?: number;
  clusterBits?: number;
  backingFile?: string;
  incompatibleFeatures?: bigint;
  cryptMethod?: number;
  extensions?: { type: number; data: Buffer }[];
}

/**
 * A qcow2 file qemu-img accepts when the spec is sane: header, refcount table, one refcount
 * block and an L1 table, one cluster each (the layout `qemu-img create` uses).
 */
export function buildQcow2(spec: Qcow2Spec): Buffer {
  const bits = spec.clusterBits ?? 16;
  const cluster = 2 ** Math.min(bits, 16);
  const version = spec.version ?? 3;
  const file = Buffer.alloc(cluster * 4);
  const size = BigInt(spec.virtualSize);
  file.writeUInt32BE(0x514649fb, 0);
  file.writeUInt32BE(version, 4);
  file.writeUInt32BE(bits, 20);
  file.writeBigUInt64BE(size, 24);
  file.writeUInt32BE(spec.cryptMethod ?? 0, 32);
  const perL2 = BigInt(cluster) * BigInt(cluster / 8);
  const l1Size = Number((size + perL2 - 1n) / perL2);
  file.writeUInt32BE(Math.min(l1Size, cluster / 8), 36);
  file.writeBigUInt64BE(BigInt(cluster * 3), 40);
  file.writeBigUInt64BE(BigInt(cluster), 48);
  file.writeUInt32BE(1, 56);
  const headerLength = version >= 3 ? 104 : 72;
  if (version >= 3) {
    file.writeBigUInt64BE(spec.incompatibleFeatures ?? 0n, 72);
    file.writeUInt32BE(4, 96);
    file.writeUInt32BE(104, 100);
  }
  let offset = headerLength;
  for (const ext of spec.extensions ?? []) {
    file.writeUInt32BE(ext.type, offset);
    file.writeUInt32BE(ext.data.length, offset + 4);
    ext.data.copy(file, offset + 8);
    offset += 8 + Math.ceil(ext.data.length / 8) * 8;
  }
  if (version >= 3) offset += 8;
  if (spec.backingFile !== undefined) {
    const name = Buffer.from(spec.backingFile);
    const at = Math.max(offset, 512);
    name.copy(file, at);
    file.writeBigUInt64BE(BigInt(at), 8);
    file.writeUInt32BE(name.length, 16);
  }
  file.writeBigUInt64BE(BigInt(cluster * 2), cluster);
  for (let i = 0; i < 4; i++) file.writeUInt16BE(1, cluster * 2 + i * 2);
  return file;
}

/** A minimal QED header. */
export function buildQed(virtualSize: number): Buffer {
  const file = Buffer.alloc(4096);
  file.write("QED\0", 0, "latin1");
  file.writeUInt32LE(65536, 4);
  file.writeUInt32LE(4, 8);
  file.writeUInt32LE(1, 12);
  file.writeBigUInt64LE(BigInt(virtualSize), 48);
  return file;
}

/** A VMDK sparse extent header with the given embedded descriptor text at sector 1. */
export function buildSparseVmdk(descriptor: string, capacitySectors: number, grainSize = 128): Buffer {
  const descriptorSectors = 20;
  const file = Buffer.alloc(512 * (1 + descriptorSectors) + 512 * 4);
  file.writeUInt32LE(0x564d444b, 0);
  file.writeUInt32LE(1, 4);
  file.writeUInt32LE(3, 8);
  file.writeBigUInt64LE(BigInt(capacitySectors), 12);
  file.writeBigUInt64LE(BigInt(grainSize), 20);
  file.writeBigUInt64LE(1n, 28);
  file.writeBigUInt64LE(BigInt(descriptorSectors), 36);
  file.writeUInt32LE(512, 44);
  file.writeBigUInt64LE(21n, 56);
  file.writeBigUInt64LE(128n, 64);
  file.write("\n \r\n", 73, "latin1");
  file.write(descriptor, 512, "latin1");
  return file;
}

/** Descriptor text in the shape VMware and qemu write. */
export function vmdkDescriptor(options: {
  createType: string;
  extents: string[];
  parentCID?: string;
  parentHint?: string;
}): string {
  return [
    "# Disk DescriptorFile",
    "version=1",
    "CID=12345678",
    `parentCID=${options.parentCID ?? "ffffffff"}`,
    ...(options.parentHint === undefined ? [] : [`parentFileNameHint="${options.parentHint}"`]),
    `createType="${options.createType}"`,
    "",
    "# Extent description",
    ...options.extents,
    "",
    'ddb.virtualHWVersion = "4"',
    "",
  ].join("\n");
}

function vhdChecksum(footer: Buffer): number {
  let sum = 0;
  for (let i = 0; i < 512; i++) if (i < 64 || i >= 68) sum += footer[i] ?? 0;
  return ~sum >>> 0;
}

/** A VHD footer; `badChecksum` corrupts it on purpose. */
export function buildVhdFooter(options: {
  size: number;
  diskType: 2 | 3 | 4;
  dataOffset?: bigint;
  badChecksum?: boolean;
}): Buffer {
  const f = Buffer.alloc(512);
  f.write("conectix", 0, "latin1");
  f.writeUInt32BE(2, 8);
  f.writeUInt32BE(0x00010000, 12);
  f.writeBigUInt64BE(options.dataOffset ?? 0xffffffffffffffffn, 16);
  f.write("qem2", 28, "latin1");
  f.writeBigUInt64BE(BigInt(options.size), 40);
  f.writeBigUInt64BE(BigInt(options.size), 48);
  f.writeUInt32BE(options.diskType, 60);
  f.writeUInt32BE((vhdChecksum(f) ^ (options.badChecksum ? 1 : 0)) >>> 0, 64);
  return f;
}

/** A differencing VHD: footer copy, dynamic header naming a parent, footer. */
export function buildDifferencingVhd(size: number, parentName: string): Buffer {
  const footer = buildVhdFooter({ size, diskType: 4, dataOffset: 512n });
  const dyn = Buffer.alloc(1024);
  dyn.write("cxsparse", 0, "latin1");
  dyn.writeBigUInt64BE(0xffffffffffffffffn, 8);
  dyn.writeBigUInt64BE(1536n, 16);
  dyn.writeUInt32BE(0x00010000, 24);
  dyn.writeUInt32BE(Math.ceil(size / (2 * 1024 * 1024)), 28);
  dyn.writeUInt32BE(2 * 1024 * 1024, 32);
  dyn.fill(0x11, 40, 56);
  dyn.write(parentName, 64, "utf16le");
  const bat = Buffer.alloc(512, 0xff);
  return Buffer.concat([footer, dyn, bat, footer]);
}

function guidBytes(text: string): Buffer {
  const b = Buffer.from(text.replace(/-/g, ""), "hex");
  return Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8),
  ]);
}

/** A skeletal VHDX whose metadata sets HasParent and carries a parent locator. */
export function buildParentVhdx(size: number): Buffer {
  const KiB = 1024;
  const file = Buffer.alloc(1024 * KiB);
  file.write("vhdxfile", 0, "latin1");
  const regions = 192 * KiB;
  file.write("regi", regions, "latin1");
  file.writeUInt32LE(1, regions + 8);
  guidBytes("8B7CA206-4790-4B9A-B8FE-575F050F886E").copy(file, regions + 16);
  const meta = 512 * KiB;
  file.writeBigUInt64LE(BigInt(meta), regions + 32);
  file.writeUInt32LE(64 * KiB, regions + 40);
  file.writeUInt32LE(1, regions + 44);
  file.write("metadata", meta, "latin1");
  file.writeUInt16LE(3, meta + 10);
  const items: [string, number, Buffer][] = [
    ["2FA54224-CD1B-4876-B211-5DBED83BF4B8", 4096, Buffer.alloc(8)],
    ["CAA16737-FA36-4D43-B3B6-33F0AA44E76B", 4104, Buffer.alloc(8)],
    ["A8D35F2D-B30B-454D-ABF7-D3D84834AB0C", 4112, Buffer.from("parent_linkage=/srv/parent.vhdx")],
  ];
  items[0]![2].writeBigUInt64LE(BigInt(size));
  items[1]![2].writeUInt32LE(32 * 1024 * 1024, 0);
  items[1]![2].writeUInt32LE(2, 4);
  items.forEach(([id, offset, data], i) => {
    const e = meta + 32 + i * 32;
    guidBytes(id).copy(file, e);
    file.writeUInt32LE(offset, e + 16);
    file.writeUInt32LE(data.length, e + 20);
    data.copy(file, meta + offset);
  });
  return file;
}

/** A VDI header; `imageType` 4 is differencing, `blockSize` other than 1 MiB is refused. */
export function buildVdi(options: { imageType: number; diskSize: number; blockSize?: number }): Buffer {
  const blockSize = options.blockSize ?? 1024 * 1024;
  const blocks = Math.ceil(options.diskSize / blockSize);
  const offBlocks = 0x200;
  const offData = Math.ceil((offBlocks + blocks * 4) / 512) * 512;
  const file = Buffer.alloc(offData);
  file.write("<<< Oracle VM VirtualBox Disk Image >>>\n", 0, "latin1");
  file.writeUInt32LE(0xbeda107f, 0x40);
  file.writeUInt32LE(0x00010001, 0x44);
  file.writeUInt32LE(0x190, 0x48);
  file.writeUInt32LE(options.imageType, 0x4c);
  file.writeUInt32LE(offBlocks, 0x154);
  file.writeUInt32LE(offData, 0x158);
  file.writeUInt32LE(512, 0x168);
  file.writeBigUInt64LE(BigInt(options.diskSize), 0x170);
  file.writeUInt32LE(blockSize, 0x178);
  file.writeUInt32LE(blocks, 0x180);
  file.fill(0x22, 0x188, 0x198);
  if (options.imageType === 4) file.fill(0x33, 0x1a8, 0x1b8);
  file.fill(0xff, offBlocks, offBlocks + blocks * 4);
  return file;
}
