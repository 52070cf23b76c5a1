import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api, unwrap } from "../../api";
import type { Server } from "../../api";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { POLL_MS } from "../../servers";

/** How the host copied the disk, in words (docs/images.md, "Capture"). */
const METHODS: Record<string, string> = {
  "qemu-img-convert": "copied while stopped",
  "blockdev-backup": "copied live (crash-consistent, as after a power cut)",
  "guest-fsfreeze": "copied live with the guest's filesystems frozen",
};

/**
 * "Make an image": captures the server's disk into a private image of its account
 * (POST /servers/{id}/image), then follows the job's stages until the image is ready.
 */
export function CaptureImage({ server }: { server: Server }) {
  const [name, setName] = useState(`${server.name}-image`);
  const [jobId, setJobId] = useState<string | null>(null);
  const capture = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/servers/{id}/image", { params: { path: { id: server.id } }, body: { name } })),
    onSuccess: (job) => setJobId(job.id),
  });
  const job = useQuery({
    queryKey: ["image-jobs", jobId],
    enabled: jobId !== null,
    queryFn: async () => unwrap(await api.GET("/image-jobs/{id}", { params: { path: { id: jobId ?? "" } } })),
    refetchInterval: (query) =>
      query.state.data?.state === "succeeded" || query.state.data?.state === "failed" ? false : POLL_MS,
  });
  const j = job.data;
  const result = j?.result as { method?: string; generalized?: boolean } | null | undefined;
  const working = capture.isPending || (jobId !== null && j?.state !== "succeeded" && j?.state !== "failed");
  const deleting = server.desired_state === "deleted";

  return (
    <section className="card stack" aria-labelledby="capture-heading">
      <h2 id="capture-heading">Make an image</h2>
      <p className="muted">
        Copies this server&apos;s disk into a private image of your account, ready for new servers and for
        export (VDI, VMDK, OVA, raw, qcow2). It is generalised: cloud-init runs again on the new server, which
        gets its own SSH host keys and machine id; your files stay. A running server is copied live.
      </p>
      <form
        className="capture-form"
        onSubmit={(e) => {
          e.preventDefault();
          setJobId(null);
          capture.mutate();
        }}
      >
        <Field label="Image name">
          {(control) => (
            <input
              {...control}
              value={name}
              required
              maxLength={100}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={working || deleting || name.trim() === ""}>
          Capture image
        </button>
      </form>
      <ErrorMessage error={capture.error ?? job.error} />
      {j && (
        <p
          role="status"
          className={j.state === "failed" ? "error-text" : j.state === "succeeded" ? "ok-text" : "muted"}
        >
          {j.state === "succeeded" ? (
            <>
              Image {name} is ready ({METHODS[result?.method ?? ""] ?? result?.method},{" "}
              {result?.generalized ? "generalised" : "not generalised"}).{" "}
              <Link to="/images">See your images</Link>.
            </>
          ) : j.state === "failed" ? (
            `The capture failed (${j.error?.check ?? "?"}): ${j.error?.message ?? ""}`
          ) : (
            `Capturing: ${j.stage}${j.percent > 0 ? ` ${j.percent}%` : ""}…`
          )}
        </p>
      )}
    </section>
  );
}
