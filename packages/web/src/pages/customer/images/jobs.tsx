import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId } from "react";
import type { paths } from "@layerboom/client";
import { ApiError, api, unwrap } from "../../../api";
import { bytes } from "../../../format";
import { ErrorMessage } from "../../../components/ErrorMessage";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;

export type ImageJob = Json<paths["/image-jobs/{id}"]["get"]["responses"][200]>;

/** The fields of an import, from a URL or an upload (they travel in the upload's query). */
export interface ImportFields {
  name: string;
  visibility?: "private" | "subtree" | "public";
  os?: string;
  format?: string;
  sha256?: string;
}

/** What POST /images/{id}/exports makes, with what each is for. */
export const EXPORT_FORMATS = [
  { value: "qcow2", label: "qcow2 (QEMU/KVM, Proxmox)" },
  { value: "vmdk", label: "vmdk (VMware, EC2 import)" },
  { value: "vdi", label: "vdi (VirtualBox)" },
  { value: "ova", label: "ova (VirtualBox or VMware appliance)" },
  { value: "raw", label: "raw (dd, EC2 import)" },
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number]["value"];

/** What the controller accepts as a claimed source format; empty means detect it. */
export const IMPORT_FORMATS = ["qcow2", "raw", "vmdk", "vdi", "vpc", "vhdx", "iso"];

const POLL_MS = 1_000;

function stageText(job: ImageJob): string {
  if (job.state === "queued") return "Waiting to start";
  if (job.state === "succeeded") return "Done";
  if (job.state === "failed") return "Failed";
  const [stage = "", step] = job.stage.split(":");
  switch (stage) {
    case "queued":
      return "Waiting to start";
    case "fetch":
      return job.kind === "import" ? "Downloading" : "Reading";
    case "verify":
      return "Verifying the checksum";
    case "unpack":
      return "Unpacking";
    case "make-bootable":
      return step ? `Making it bootable (${step})` : "Making it bootable";
    case "convert":
      return "Converting";
    case "checksum":
      return "Computing checksums";
    case "catalog":
      return "Adding it to the catalog";
    case "export":
      return "Exporting";
    default:
      return job.stage || "Working";
  }
}

/** One job the page started: what it is about, to label it before the first answer. */
export interface TrackedJob {
  id: string;
  title: string;
}

/**
 * An import or export job, polled until it succeeds or fails: a progress bar with its stage,
 * the failure's message, and for a finished export the download link.
 */
export function JobProgress({ job: tracked, onDismiss }: { job: TrackedJob; onDismiss: () => void }) {
  const queryClient = useQueryClient();
  const labelId = useId();
  const job = useQuery({
    queryKey: ["image-jobs", tracked.id],
    queryFn: async () => unwrap(await api.GET("/image-jobs/{id}", { params: { path: { id: tracked.id } } })),
    refetchInterval: (q) => {
      const state = q.state.data?.state;
      if (state === "succeeded" || state === "failed") return false;
      if (q.state.error instanceof ApiError && q.state.error.status === 404) return false;
      return POLL_MS;
    },
  });
  const j = job.data;
  const finished = j?.state === "succeeded" && j.kind === "import";

  // A finished import is a new image in the list.
  useEffect(() => {
    if (finished) void queryClient.invalidateQueries({ queryKey: ["images"] });
  }, [finished, queryClient]);

  const result = (j?.result ?? {}) as { filename?: unknown; bytes?: unknown };
  const filename = typeof result.filename === "string" ? result.filename : undefined;
  const done = j?.state === "succeeded" || j?.state === "failed";
  const percent = j ? Math.min(100, Math.max(0, j.percent)) : 0;

  return (
    <li className="job">
      <div className="job-head">
        <strong>{tracked.title}</strong>
        {done && (
          <button type="button" className="link" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </div>
      <ErrorMessage error={job.error} />
      {!job.isError && (
        <>
          <p id={labelId} className="job-stage">
            {j ? stageText(j) : "Starting"}
            {j && j.state === "running" && ` — ${percent}%`}
            {j && j.state === "running" && j.bytes_total ? (
              <span className="muted">
                {" "}
                ({bytes(j.bytes_done)} of {bytes(j.bytes_total)})
              </span>
            ) : null}
          </p>
          <progress
            aria-labelledby={labelId}
            max={100}
            value={j && j.state !== "queued" ? percent : undefined}
            className={j?.state === "failed" ? "failed" : undefined}
          >
            {percent}%
          </progress>
        </>
      )}
      <div aria-live="polite">
        {j?.state === "failed" && (
          <p role="alert" className="error">
            {j.error?.message ?? "The job failed."}
            {j.error?.check && <span className="muted"> (check: {j.error.check})</span>}
          </p>
        )}
        {j?.state === "succeeded" && j.kind === "import" && (
          <p className="ok-text">The image is ready: it is in the list below and can boot new servers.</p>
        )}
        {j?.state === "succeeded" && j.kind === "export" && (
          <p className="actions">
            <a
              className="button primary"
              href={`/api/v1/image-jobs/${encodeURIComponent(j.id)}/download`}
              download={filename ?? true}
            >
              Download {filename ?? "the export"}
            </a>
            {typeof result.bytes === "number" && <span className="muted">{bytes(result.bytes)}</span>}
          </p>
        )}
      </div>
    </li>
  );
}
