import { Packet, createServer } from "dns2";

/** The records a test DNS server answers for one name. */
export interface TestDnsRecords {
  /** Each TXT record as its character-strings (one string is the common case). */
  txt?: string[][];
  a?: string[];
  aaaa?: string[];
}

/** A DNS server on loopback (UDP) that answers from a zone the test edits while it runs. */
export interface TestDnsServer {
  /** `127.0.0.1:<port>`, as LAYERBOOM_DNS_SERVERS takes it. */
  address: string;
  /** Sets (replaces) the records of a name; names are compared in lower case without the trailing dot. */
  set(name: string, records: TestDnsRecords): void;
  /** Removes a name: it then answers NXDOMAIN. */
  remove(name: string): void;
  /** Every question asked, as `TYPE name`, in order. */
  readonly questions: string[];
  close(): Promise<void>;
}

const key = (name: string) => name.toLowerCase().replace(/\.$/, "");

/**
 * Starts a DNS server on 127.0.0.1 and a free port, answering TXT, A and AAAA from its zone:
 * NXDOMAIN for a name it does not know, an empty answer (NODATA) for a known name without
 * records of the asked type. Tests point the controller's resolver at it, so proofs and
 * lookups never leave the machine.
 */
export async function startTestDnsServer(zone: Record<string, TestDnsRecords> = {}): Promise<TestDnsServer> {
  const records = new Map(Object.entries(zone).map(([name, r]) => [key(name), r]));
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
      const type = Object.entries(Packet.TYPE).find(([, value]) => value === question.type)?.[0] ?? "?";
      questions.push(`${type} ${question.name}`);
      const found = records.get(key(question.name));
      if (!found) {
        response.header.rcode = 3; // NXDOMAIN
        void send(response);
        return;
      }
      const answer = (record: { type: number; data?: string[]; address?: string }) =>
        response.answers.push(
          Packet.createResourceFromQuestion(question, { class: Packet.CLASS.IN, ttl: 1, ...record }),
        );
      if (question.type === Packet.TYPE.TXT)
        for (const data of found.txt ?? []) answer({ type: Packet.TYPE.TXT, data });
      if (question.type === Packet.TYPE.A)
        for (const address of found.a ?? []) answer({ type: Packet.TYPE.A, address });
      if (question.type === Packet.TYPE.AAAA)
        for (const address of found.aaaa ?? []) answer({ type: Packet.TYPE.AAAA, address });
      void send(response);
    },
  });
  const listening = await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  const port = listening.udp?.port;
  if (port === undefined) throw new Error("the test DNS server did not report its UDP port");
  return {
    address: `127.0.0.1:${port}`,
    set: (name, r) => void records.set(key(name), r),
    remove: (name) => void records.delete(key(name)),
    questions,
    close: () => server.close(),
  };
}
