import { createReadStream } from "node:fs";
import { runProgram } from "@layerboom/sys";
import type { ApiClient, TestController } from "./controller.js";

/** Uploads a file as an image import; answers with the status and body (the job, or an error). */
export async function uploadImage(
  c: TestController,
  token: string,
  file: string,
  query: Record<string, string>,
): Promise<{ status: number; body: any }> {
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(`${c.url}/images/uploads?${qs}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
    body: createReadStream(file) as never,
    duplex: "half",
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Waits for an image job to succeed or fail, and returns it. */
export async function jobFinished(api: ApiClient, jobId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.get(`/image-jobs/${jobId}`);
    if (res.body?.state === "succeeded" || res.body?.state === "failed") return res.body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${res.body?.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An empty qcow2 (all holes) claiming the given virtual size, as `qemu-img create` makes it. */
export async function makeQcow2(path: string, virtualSize: string | number): Promise<void> {
  await runProgram("qemu-img", ["create", "-q", "-f", "qcow2", "--", path, String(virtualSize)]);
}
