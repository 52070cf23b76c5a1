import { createSign, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AmiBundleError } from "../errors.js";
import { parseAmiManifest, verifyManifestSignature } from "./manifest.js";

const fail = (check: AmiBundleError["check"], detail: string, part?: string) =>
  new AmiBundleError(check, "image.manifest.xml", detail, part);
const sha1 = "0123456789abcdef0123456789abcdef01234567";
const keys = generateKeyPairSync("rsa", { modulusLength: 1024 });

/** A manifest as ec2-bundle-vol writes it (REXML: single quotes, one line). */
function manifest(
  options: { version?: string; parts?: string; machine?: string; image?: string } = {},
): string {
  const machine =
    options.machine ??
    "<machine_configuration><architecture>x86_64</architecture><block_device_mapping>" +
      "<mapping><virtual>ami</virtual><device>sda1</device></mapping>" +
      "<mapping><virtual>root</virtual><device>/dev/sda1</device></mapping></block_device_mapping>" +
      "<product_codes><product_code>1a2b3c4d</product_code></product_codes>" +
      "<kernel_id>aki-88aa75e1</kernel_id><ramdisk_id>ari-a51cf9cc</ramdisk_id></machine_configuration>";
  const parts =
    options.parts ??
    `<part index='1'><filename>image.part.1</filename><digest algorithm='SHA1'>${sha1}</digest></part>` +
      `<part index='0'><filename>image.part.0</filename><digest algorithm='SHA1'>${sha1}</digest></part>`;
  const image =
    options.image ??
    `<image><name>image</name><user>123456789012</user><type>machine</type>` +
      `<digest algorithm='SHA1'>${sha1}</digest><size>10737418240</size><bundled_size>1234</bundled_size>` +
      `<ec2_encrypted_key algorithm='AES-128-CBC'>ab</ec2_encrypted_key><user_encrypted_key algorithm='AES-128-CBC'>cd</user_encrypted_key>` +
      `<ec2_encrypted_iv>ef</ec2_encrypted_iv><user_encrypted_iv>01</user_encrypted_iv><parts count='2'>${parts}</parts></image>`;
  const signature = createSign("RSA-SHA1")
    .update(machine + image)
    .sign(keys.privateKey, "hex");
  return (
    `<?xml version='1.0'?><manifest><version>${options.version ?? "2007-10-10"}</version>` +
    `<bundler><name>ec2-ami-tools</name><version>1.5</version><release>7</release></bundler>` +
    `${machine}${image}<signature>${signature}</signature></manifest>`
  );
}

const parse = (text: string) => parseAmiManifest(Buffer.from(text), 100, fail);
const refusal = (text: string) => {
  try {
    parse(text);
  } catch (err) {
    return err as AmiBundleError;
  }
  throw new Error("accepted");
};

describe("parseAmiManifest", () => {
  it("reads ec2-bundle-vol's manifest: mapping, kernel, product codes, parts in index order", () => {
    const m = parse(manifest());
    expect(m).toMatchObject({
      version: "2007-10-10",
      bundler: { name: "ec2-ami-tools", version: "1.5", release: "7" },
      architecture: "x86_64",
      kernelId: "aki-88aa75e1",
      ramdiskId: "ari-a51cf9cc",
      productCodes: ["1a2b3c4d"],
      imageName: "image",
      imageType: "machine",
      size: 10 * 1024 ** 3,
      blockDeviceMapping: [
        { virtual: "ami", device: "sda1" },
        { virtual: "root", device: "/dev/sda1" },
      ],
    });
    expect(m.parts.map((p) => p.filename)).toEqual(["image.part.0", "image.part.1"]);
    expect(() => verifyManifestSignature(manifest(), keys.publicKey, fail)).not.toThrow();
  });

  it("reads ec2-bundle-image's shorter one", () => {
    const m = parse(
      manifest({
        machine: "<machine_configuration><architecture>i386</architecture></machine_configuration>",
      }),
    );
    expect(m).toMatchObject({ architecture: "i386", blockDeviceMapping: [], kernelId: undefined });
  });

  it("refuses other versions, gaps in the parts, duplicate part files and a mapping without a device", () => {
    expect(refusal(manifest({ version: "2007-08-29" })).detail).toBe(
      'manifest version "2007-08-29" is not 2007-10-10',
    );
    const part = (i: string, name: string) =>
      `<part index='${i}'><filename>${name}</filename><digest algorithm='SHA1'>${sha1}</digest></part>`;
    expect(refusal(manifest({ parts: part("0", "a") + part("2", "b") })).detail).toBe(
      "part indexes are not 0..1",
    );
    expect(refusal(manifest({ parts: part("0", "a") + part("1", "a") })).detail).toBe(
      "two parts name the same file",
    );
    expect(refusal(manifest({ parts: part("0", "a") + part("-1", "b") })).detail).toBe(
      "part indexes are not 0..1",
    );
    expect(
      refusal(
        manifest({
          machine:
            "<machine_configuration><block_device_mapping><mapping><virtual>ami</virtual></mapping></block_device_mapping></machine_configuration>",
        }),
      ).detail,
    ).toBe("a <block_device_mapping> entry lacks its virtual name or device");
  });

  it("refuses a second, unsigned <image> and a second signature", () => {
    const text = manifest();
    const twice = text.replace("</manifest>", `${/<image>[\s\S]*<\/image>/.exec(text)![0]}</manifest>`);
    expect(() => verifyManifestSignature(twice, keys.publicKey, fail)).toThrow(
      expect.objectContaining({ check: "ami-signature" }),
    );
    const signatures = text.replace("</manifest>", "<signature>00</signature></manifest>");
    expect(() => verifyManifestSignature(signatures, keys.publicKey, fail)).toThrow(
      expect.objectContaining({ check: "ami-signature" }),
    );
  });
});
