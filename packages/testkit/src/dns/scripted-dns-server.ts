import { Packet, createServer } from "dns2";

/**
 * What a name answers, question after question: each A (or AAAA) question takes the next list
 * of addresses, and the last list repeats. `[["93.184.215.14"], ["127.0.0.1"]]` is a name that
 * rebinds: public the first time it is asked, loopback from then on.
 */
export interface ScriptedAnswers {
  a?: string[][];
  aaaa?: string[][];
}

/** A DNS server on loopback whose answers change on a script, for testing DNS rebinding. */
export interface ScriptedDnsServer {
  /** `127.0.0.1:<port>`, as LAYERBOOM_DNS_SERVERS and createResolver take it. */
  address: string;
  /** Every question asked, as `A name` or `AAAA name`, in order. */
  readonly questions: string[];
  close(): Promise<void>;
}

const key = (name: string) => name.toLowerCase().replace(/\.$/, "");

/**
 * Starts a UDP DNS server on 127.0.0.1 and a free port. A name not in the script answers
 * NXDOMAIN; a scripted name without answers of the asked type answers NODATA.
 */
export async function startScriptedDnsServer(
  script: Record<string, ScriptedAnswers>,
): Promise<ScriptedDnsServer> {
  const answers = new Map(Object.entries(script).map(([name, a]) => [key(name), a]));
  const asked = new Map<string, number>();
  const questions: string[] = [];
  const server = createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions[0];
      const type =
        question?.type === Packet.TYPE.A ? "A" : question?.type === Packet.TYPE.AAAA ? "AAAA" : "other";
      if (question) questions.push(`${type} ${question.name}`);
      const scripted = question ? answers.get(key(question.name)) : undefined;
      if (!question || !scripted) {
        response.header.rcode = 3; // NXDOMAIN
        void send(response);
        return;
      }
      const lists = type === "A" ? scripted.a : type === "AAAA" ? scripted.aaaa : undefined;
      if (lists && lists.length > 0) {
        const counter = `${type} ${key(question.name)}`;
        const n = asked.get(counter) ?? 0;
        asked.set(counter, n + 1);
        for (const address of lists[Math.min(n, lists.length - 1)] ?? []) {
          response.answers.push(
            Packet.createResourceFromQuestion(question, {
              type: type === "A" ? Packet.TYPE.A : Packet.TYPE.AAAA,
              class: Packet.CLASS.IN,
              ttl: 0,
              address,
            }),
          );
        }
      }
      void send(response);
    },
  });
  const listening = await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  const port = listening.udp?.port;
  if (port === undefined) throw new Error("the scripted DNS server did not report its UDP port");
  return { address: `127.0.0.1:${port}`, questions, close: () => server.close() };
}
