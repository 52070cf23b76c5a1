import { randomBytes } from "node:crypto";
import { open, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeAmiBundle, makeRsaKeyPair, type AmiBundleSpec } from "../ami/make-ami-bundle.js";
import type { HostileFixture } from "./corpus.js";

const MiB = 1024 * 1024;

/**
 * The corpus's EC2 bundles: tampered parts and manifests, a wrong key, a part name that climbs
 * out, an entity bomb, and sparse maps that lie. `laughs` is the corpus's billion-laughs DOCTYPE.
 */
export async function hostileAmiBundles(
  dir: string,
  canaryPath: string,
  laughs: string,
): Promise<HostileFixture[]> {
  const fixtures: HostileFixture[] = [];
  const user = makeRsaKeyPair();
  const payload = randomBytes(3 * MiB);
  const bundle = async (
    name: string,
    check: string,
    tamper: (b: Awaited<ReturnType<typeof makeAmiBundle>>) => Promise<void>,
    key = user.privateKeyPem,
    manifestPartName?: (i: number, actual: string) => string,
    spec: Partial<AmiBundleSpec> = {},
  ) => {
    const b = await makeAmiBundle(join(dir, name), {
      image: payload,
      partSize: MiB,
      user,
      manifestPartName,
      ...spec,
    });
    await tamper(b);
    fixtures.push({ name, kind: "ami", path: b.manifestPath, expectedCheck: check, privateKeyPem: key });
  };
  await bundle("ami-tampered-part", "ami-part-digest", async (b) => {
    const part = await readFile(b.partPaths[1]!);
    part[100] = (part[100] ?? 0) ^ 0xff;
    await writeFile(b.partPaths[1]!, part);
  });
  await bundle("ami-missing-part", "ami-part-missing", async (b) => rm(b.partPaths[2]!));
  await bundle("ami-tampered-manifest", "ami-signature", async (b) => {
    const text = await readFile(b.manifestPath, "utf8");
    await writeFile(b.manifestPath, text.replace(/<size>\d+<\/size>/, "<size>1</size>"));
  });
  await bundle("ami-wrong-key", "ami-wrong-key", async () => undefined, makeRsaKeyPair().privateKeyPem);
  await bundle(
    "ami-part-traversal",
    "ami-part-filename",
    async () => undefined,
    user.privateKeyPem,
    (i, actual) => (i === 0 ? `../../..${canaryPath}` : actual),
  );
  // GNU tar's old sparse format (tar -S, as ec2-bundle-image runs it) with the map rewritten:
  // a region past the real size, and one that claims more data than the member stores.
  const sparseImage = join(dir, "sparse-source.img");
  const sparseFile = await open(sparseImage, "w");
  await sparseFile.truncate(8 * MiB);
  await sparseFile.write(Buffer.from("data"), 0, 4, 4 * MiB);
  await sparseFile.close();
  const sparseHeader = (edit: (header: Buffer) => void) => (tar: Buffer) => {
    const header = tar.subarray(0, 512);
    edit(header);
    header.fill(0x20, 148, 156);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
    return tar;
  };
  const tarOctal = (value: number) => `${value.toString(8).padStart(11, "0")}\0`;
  await bundle(
    "ami-sparse-region-past-end",
    "archive-sparse-map",
    async () => undefined,
    user.privateKeyPem,
    undefined,
    {
      image: { path: sparseImage },
      editTar: sparseHeader((h) => h.write(tarOctal(2 * MiB), 483, "latin1")),
      manifestSize: 2 * MiB,
    },
  );
  await bundle(
    "ami-sparse-map-claims-more",
    "archive-sparse-map",
    async () => undefined,
    user.privateKeyPem,
    undefined,
    {
      image: { path: sparseImage },
      editTar: sparseHeader((h) => h.write(tarOctal(64 * 1024), 386 + 12, "latin1")),
    },
  );
  await bundle("ami-xml-bomb", "xml-doctype", async (b) => {
    const text = await readFile(b.manifestPath, "utf8");
    await writeFile(b.manifestPath, text.replace("<manifest>", `${laughs}<manifest><name>&lol9;</name>`));
  });
  return fixtures;
}
