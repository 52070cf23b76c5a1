import { Packet, createServer } from "dns2";

/**
 * The records one name answers. A and AAAA are scripts: each question of that type takes the
 * next list of addresses, and the last list repeats, so `[["192.0.2.1"]]` always answers the
 * same and `[["93.184.215.14"], ["127.0.0.1"]]` is a name that rebinds (public the first time
 * it is asked, loopback from then on). TXT holds records, each as its character-strings.
 */
export interface TestDnsRecords {
  a?: string[][];
  aaaa?: string[][];
  txt?: string[][];
}

/** A DNS server on loopback (UDP) answering from a zone that the test may edit while it runs. */
export interface TestDnsServer {
  /** `127.0.0.1:<port>`, as LAYERBOOM_DNS_SERVERS and createResolver take it. */
  address: string;
  /** Sets (replaces) a name's records, and starts its scripts again from the first answer. */
  set(name: string, records: TestDnsRecords): void;
  /** Removes a name: it then answers NXDOMAIN. */
  remove(name: string): void;
  /** Every question asked, as `TYPE name`, in order. */
  readonly questions: string[];
  close(): Promise<void>;
}

const key = (name: string) => name.toLowerCase().replace(/\.$/, "");

/**
 * Starts a DNS server on 127.0.0.1 and a free port: NXDOMAIN for a name not in the zone, an
 * empty answer (NODATA) for a known name without records of the asked type. Tests point the
 * controller's resolver at it, so lookups, proofs and rebinding tricks never leave the machine.
 */
export async function startTestDnsServer(zone: Record<string, TestDnsRecords> = {}): Promise<TestDnsServer> {
  const records = new Map(Object.entries(zone).map(([name, r]) => [key(name), r]));
  const asked = new Map<string, number>();
  const questions: string[] = [];
  const server = createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions[0];
      if (!question) {
        void send(response);
        return;
      }
      const name = key(question.name);
      const type = Object.entries(Packet.TYPE).find(([, value]) => value === question.type)?.[0] ?? "?";
      questions.push(`${type} ${question.name}`);
      const found = records.get(name);
      if (!found) {
        response.header.rcode = 3; // NXDOMAIN
        void send(response);
        return;
      }
      const answer = (record: { type: number; data?: string[]; address?: string }) =>
        response.answers.push(
          Packet.createResourceFromQuestion(question, { class: Packet.CLASS.IN, ttl: 0, ...record }),
        );
      const script = type === "A" ? found.a : type === "AAAA" ? found.aaaa : undefined;
      if (script && script.length > 0) {
        const n = asked.get(`${type} ${name}`) ?? 0;
        asked.set(`${type} ${name}`, n + 1);
        for (const address of script[Math.min(n, script.length - 1)] ?? [])
          answer({ type: question.type, address });
      }
      if (type === "TXT") for (const data of found.txt ?? []) answer({ type: Packet.TYPE.TXT, data });
      void send(response);
    },
  });
  const listening = await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  const port = listening.udp?.port;
  if (port === undefined) throw new Error("the test DNS server did not report its UDP port");
  return {
    address: `127.0.0.1:${port}`,
    set(name, r) {
      records.set(key(name), r);
      for (const type of ["A", "AAAA"]) asked.delete(`${type} ${key(name)}`);
    },
    remove: (name) => void records.delete(key(name)),
    questions,
    close: () => server.close(),
  };
}
