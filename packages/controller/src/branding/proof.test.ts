import { describe, expect, it } from "vitest";
import { DomainNotProvenError } from "./errors.js";
import { createDomainProver } from "./proof.js";
import type { ChallengeFetch, TxtResolver } from "./proof.js";

const TOKEN = "k3Vx0pQ2mW9aZr5Ty8uN1bC4dE7fG6hJ0iL3oP2sR5t";

/** A fake resolver: a fixed zone of TXT records, and node:dns-style error codes for the rest. */
function fakeResolver(zone: Record<string, string[][] | string>): TxtResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async resolveTxt(name) {
      asked.push(name);
      const answer = zone[name];
      if (answer === undefined) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
      if (typeof answer === "string") throw Object.assign(new Error(answer), { code: answer });
      return answer;
    },
  };
}

async function failure(promise: Promise<void>): Promise<DomainNotProvenError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DomainNotProvenError) return err;
    throw err;
  }
  throw new Error("the proof held");
}

describe("the DNS TXT proof", () => {
  it("holds when a record at _layerboom-challenge.<domain> is the token, even split in pieces", async () => {
    const resolver = fakeResolver({
      "_layerboom-challenge.portal.acme.test": [["v=spf1 -all"], [TOKEN.slice(0, 10), TOKEN.slice(10)]],
    });
    await createDomainProver({ resolver }).prove("dns", "portal.acme.test", TOKEN);
    expect(resolver.asked).toEqual(["_layerboom-challenge.portal.acme.test"]);
  });

  it("fails, saying why, for no record, another token, a record that merely contains it, and no answer", async () => {
    const prover = createDomainProver({
      resolver: fakeResolver({
        "_layerboom-challenge.other.acme.test": [["someone-elses-token"]],
        "_layerboom-challenge.padded.acme.test": [[`x${TOKEN}`]],
        "_layerboom-challenge.down.acme.test": "ETIMEOUT",
        "_layerboom-challenge.empty.acme.test": "ENODATA",
      }),
    });
    const reasons = await Promise.all(
      ["portal", "other", "padded", "down", "empty"].map(
        async (label) => (await failure(prover.prove("dns", `${label}.acme.test`, TOKEN))).reason,
      ),
    );
    expect(reasons).toEqual([
      "dns_no_record",
      "dns_wrong_token",
      "dns_wrong_token",
      "dns_failed",
      "dns_no_record",
    ]);
  });
});

describe("the HTTP proof", () => {
  const resolver = fakeResolver({});

  it("fetches http://<domain>/.well-known/layerboom-challenge/<token> and wants exactly the token", async () => {
    const urls: string[] = [];
    const fetch: ChallengeFetch = async (url) => {
      urls.push(url.href);
      return { status: 200, body: `${TOKEN}\n` };
    };
    await createDomainProver({ resolver, fetch }).prove("http", "portal.acme.test", TOKEN);
    expect(urls).toEqual([`http://portal.acme.test/.well-known/layerboom-challenge/${TOKEN}`]);
  });

  it("is not fooled by a page that echoes the path, and reports errors and statuses", async () => {
    const echo: ChallengeFetch = async (url) => ({ status: 200, body: `No such page: ${url.pathname}` });
    const missing: ChallengeFetch = async () => ({ status: 404, body: TOKEN });
    const refused: ChallengeFetch = async () => {
      throw new Error("the address of portal.acme.test is not public (loopback)");
    };
    const reasons = [];
    for (const fetch of [echo, missing, refused])
      reasons.push(
        await failure(createDomainProver({ resolver, fetch }).prove("http", "portal.acme.test", TOKEN)),
      );
    expect(reasons.map((r) => r.reason)).toEqual(["http_wrong_body", "http_failed", "http_failed"]);
    expect(reasons[2]?.message).toMatch(/not public/);
  });

  it("is refused when the controller has no outbound fetch for it", async () => {
    const err = await failure(createDomainProver({ resolver }).prove("http", "portal.acme.test", TOKEN));
    expect(err.reason).toBe("http_unavailable");
  });
});
