import { describe, expect, it } from "vitest";
import { attachmentDisposition } from "./content-disposition.js";

describe("attachmentDisposition", () => {
  it("keeps a plain name as it is", () => {
    expect(attachmentDisposition("debian-12.vdi")).toBe(
      `attachment; filename="debian-12.vdi"; filename*=UTF-8''debian-12.vdi`,
    );
  });

  it.each([
    ["../../../../x.qcow2"],
    ["/etc/passwd.ova"],
    ['quote" ; filename=evil.exe'],
    ["line\r\nSet-Cookie: a=b.raw"],
    ["bad\u0000nul.vdi"],
    ["lone \uD800 surrogate.vmdk"],
    ["é漢字 🚀.qcow2"],
    ["x".repeat(400)],
  ])("never lets %j break out of the header or name a path", (name) => {
    const header = attachmentDisposition(name);
    expect(header).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
    const fallback = /filename="([^"]*)"/.exec(header)![1]!;
    expect(fallback).not.toMatch(/^\./);
    expect(fallback.length).toBeLessThanOrEqual(150);
  });

  it("round-trips a UTF-8 name through filename*", () => {
    const header = attachmentDisposition("é漢字 🚀.qcow2");
    expect(decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(header)![1]!)).toBe("é漢字 🚀.qcow2");
  });
});
