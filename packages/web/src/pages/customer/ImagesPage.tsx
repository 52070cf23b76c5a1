import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { api, fieldError, unwrap } from "../../api";
import type { Image } from "../../api";
import { Field } from "../../components/Field";
import { isAdmin, useSession } from "../../session";
import { useAccountNames } from "./billing/accounts";
import { EXPORT_FORMATS, IMPORT_FORMATS, JobProgress } from "./images/jobs";
import type { ExportFormat, ImportFields, TrackedJob } from "./images/jobs";
import { uploadImage } from "./images/upload";
import type { UploadProgress } from "./images/upload";
import "./billing/billing.css";
import "./images/images.css";
import { bytes } from "../../format";
import { otherError } from "../../components/errors";
import { Badge } from "../../components/Badge";
import { ErrorMessage } from "../../components/ErrorMessage";
import { ConfirmDialog } from "../../components/ConfirmDialog";

const VISIBILITY: Record<string, string> = {
  private: "Private",
  subtree: "Shared with your customers",
  public: "Public",
};

export function ImagesPage() {
  const me = useSession().data;
  const queryClient = useQueryClient();
  // Every role but a customer's plain member imports, exports and deletes its account's images.
  const manager = me !== null && me !== undefined && me.role !== "customer-member";
  const admin = isAdmin(me);
  const accounts = useAccountNames(admin);
  const [jobs, setJobs] = useState<TrackedJob[]>([]);
  const [exporting, setExporting] = useState<Image>();
  const [format, setFormat] = useState<ExportFormat>("qcow2");
  const [deleting, setDeleting] = useState<Image>();

  const images = useQuery({
    queryKey: ["images", "all"],
    queryFn: async () =>
      unwrap(await api.GET("/images", { params: { query: { limit: 200 } } })).items.filter(
        (i) => i.status !== "deleted",
      ),
  });

  const track = (job: TrackedJob) => setJobs((all) => [job, ...all.filter((j) => j.id !== job.id)]);

  const startExport = useMutation({
    mutationFn: async ({ image, format }: { image: Image; format: ExportFormat }) =>
      unwrap(
        await api.POST("/images/{id}/exports", { params: { path: { id: image.id } }, body: { format } }),
      ),
    onSuccess: (job, { image, format }) =>
      track({ id: job.id, title: `Export of ${image.name} as ${format}` }),
  });
  const remove = useMutation({
    mutationFn: async (image: Image) =>
      unwrap(await api.DELETE("/images/{id}", { params: { path: { id: image.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["images"] }),
  });

  // Images owned by the caller's account or its customers; shared ones from above are not ours.
  const owned = (image: Image) =>
    image.account_id === me?.account_id || (admin && accounts.names?.has(image.account_id) === true);
  const rowError = startExport.error ?? remove.error;

  return (
    <section>
      <div className="page-head">
        <h1>Images</h1>
      </div>
      <p className="muted">
        The systems your servers boot. Import your own from a URL or a file, or export one to run elsewhere.
      </p>

      {jobs.length > 0 && (
        <div className="card stack" style={{ marginBottom: "1.5rem" }}>
          <h2>Jobs</h2>
          <ul className="jobs" aria-label="Import and export jobs">
            {jobs.map((j) => (
              <JobProgress
                key={j.id}
                job={j}
                onDismiss={() => setJobs((all) => all.filter((x) => x.id !== j.id))}
              />
            ))}
          </ul>
        </div>
      )}

      <h2>Available images</h2>
      {rowError && (
        <p role="alert" className="error">
          {rowError.message}
        </p>
      )}
      {images.isPending && <p className="loading">Loading images…</p>}
      <ErrorMessage error={images.error} />
      {images.data && images.data.length === 0 && (
        <div className="empty card">
          <h2>No images yet</h2>
          <p>
            {manager
              ? "Import an image above: paste the URL of a cloud image (qcow2, raw, vmdk…) or upload a file from your computer."
              : "No system images are available to your account yet. An admin of your account can import one."}
          </p>
        </div>
      )}
      {images.data && images.data.length > 0 && (
        <div className="table-wrap">
          <table className="stacked cards">
            <caption className="sr-only">Images you can use</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">System</th>
                <th scope="col">Format and size</th>
                <th scope="col">Visibility</th>
                <th scope="col">Status</th>
                {manager && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {images.data.map((image) => (
                <tr key={image.id}>
                  <td data-label="Name" className="image-name">
                    {image.name}
                  </td>
                  <td data-label="System">{image.os || "—"}</td>
                  <td data-label="Format">
                    {image.format}, {bytes(image.size_bytes)}
                  </td>
                  <td data-label="Visibility">
                    {VISIBILITY[image.visibility] ?? image.visibility}
                    {admin && !owned(image) && <span className="muted"> (from your provider)</span>}
                  </td>
                  <td data-label="Status">
                    <Badge state={image.status} />
                  </td>
                  {manager && (
                    <td>
                      <div className="row-actions">
                        <button
                          type="button"
                          disabled={image.status !== "available" || startExport.isPending}
                          aria-label={`Export ${image.name}`}
                          onClick={() => {
                            startExport.reset();
                            setExporting(image);
                          }}
                        >
                          Export
                        </button>
                        {owned(image) && (
                          <button
                            type="button"
                            className="danger"
                            disabled={remove.isPending}
                            aria-label={`Delete ${image.name}`}
                            onClick={() => {
                              remove.reset();
                              setDeleting(image);
                            }}
                          >
                            Delete
                          </button>
                        )}
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {manager && <ImportForm onJob={track} canPublish={me.role === "provider-admin"} canShare={admin} />}

      <ConfirmDialog
        open={exporting !== undefined}
        title={`Export ${exporting?.name ?? ""}`}
        confirmLabel="Start export"
        onClose={() => setExporting(undefined)}
        onConfirm={() => exporting && startExport.mutate({ image: exporting, format })}
      >
        <Field label="Format" hint="The download link appears in Jobs when the export is ready.">
          {(p) => (
            <select {...p} value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
              {EXPORT_FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </ConfirmDialog>
      <ConfirmDialog
        open={deleting !== undefined}
        title={`Delete ${deleting?.name ?? ""}?`}
        confirmLabel="Delete image"
        danger
        onClose={() => setDeleting(undefined)}
        onConfirm={() => deleting && remove.mutate(deleting)}
      >
        <p>
          New servers can no longer boot it. Servers already running from it keep their disks. This cannot be
          undone.
        </p>
      </ConfirmDialog>
      {!manager && me && (
        <p className="muted" style={{ marginTop: "1rem" }}>
          Need another system? Ask an admin of your account, or <Link to="/tickets">open a ticket</Link>.
        </p>
      )}
    </section>
  );
}

const FIELDS = ["name", "url", "body", "visibility", "os", "format", "sha256"];

/** Imports an image from an http(s) URL, or uploads a file with its progress; each becomes a job. */
function ImportForm(props: { onJob: (job: TrackedJob) => void; canPublish: boolean; canShare: boolean }) {
  const [source, setSource] = useState<"url" | "file">("url");
  const [url, setUrl] = useState("");
  const [file, setFile] = useState<File>();
  const [name, setName] = useState("");
  const [os, setOs] = useState("");
  const [format, setFormat] = useState("");
  const [visibility, setVisibility] = useState<"private" | "subtree" | "public">("private");
  const [sha256, setSha256] = useState("");
  const [progress, setProgress] = useState<UploadProgress>();
  const [missing, setMissing] = useState<string>();
  const abort = useRef<AbortController | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const fields = (): ImportFields => ({
    name: name.trim(),
    visibility,
    ...(os.trim() ? { os: os.trim() } : {}),
    ...(format ? { format } : {}),
    ...(sha256.trim() ? { sha256: sha256.trim().toLowerCase() } : {}),
  });

  const reset = () => {
    setUrl("");
    setFile(undefined);
    setName("");
    setOs("");
    setSha256("");
    setFormat("");
    if (fileInput.current) fileInput.current.value = "";
  };

  const fromUrl = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/images/imports", { body: { url: url.trim(), ...fields() } })),
    onSuccess: (job) => {
      props.onJob({ id: job.id, title: `Import of ${name.trim()}` });
      reset();
    },
  });
  const upload = useMutation({
    mutationFn: async (f: File) => {
      abort.current = new AbortController();
      setProgress({ loaded: 0, total: f.size });
      try {
        return await uploadImage(f, fields(), setProgress, abort.current.signal);
      } finally {
        abort.current = null;
        setProgress(undefined);
      }
    },
    onSuccess: (job) => {
      props.onJob({ id: job.id, title: `Import of ${name.trim()} (uploaded)` });
      reset();
    },
  });
  const active = source === "url" ? fromUrl : upload;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (source === "file") {
      if (!file) {
        setMissing("Choose the image file to upload.");
        return;
      }
      setMissing(undefined);
      upload.mutate(file);
    } else {
      setMissing(undefined);
      fromUrl.mutate();
    }
  }

  /** A name from the file or URL (without extensions) until the user types one. */
  function suggestName(from: string) {
    if (name) return;
    const base =
      from
        .split(/[/\\?#]/)
        .filter(Boolean)
        .pop() ?? "";
    setName(base.replace(/(\.(qcow2|img|raw|vmdk|vdi|vhdx?|iso|xz|gz|zst|bz2|tar|ova))+$/i, "").slice(0, 60));
  }

  const error = active.error;
  const cancelled = error instanceof DOMException && error.name === "AbortError";
  const general = cancelled ? undefined : otherError(error, FIELDS);
  const percent = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;
  const busy = fromUrl.isPending || upload.isPending;

  return (
    <form className="card stack import-form" onSubmit={submit} noValidate aria-labelledby="import-title">
      <h2 id="import-title">Import an image</h2>
      <fieldset className="field">
        <legend>Source</legend>
        <div className="source-choice">
          <label className="check">
            <input
              type="radio"
              name="source"
              value="url"
              checked={source === "url"}
              disabled={busy}
              onChange={() => setSource("url")}
            />
            From a URL
          </label>
          <label className="check">
            <input
              type="radio"
              name="source"
              value="file"
              checked={source === "file"}
              disabled={busy}
              onChange={() => setSource("file")}
            />
            Upload a file
          </label>
        </div>
      </fieldset>
      <div className="import-source">
        {source === "url" ? (
          <Field
            label="Image URL"
            hint="An http(s) link to a disk image (qcow2, raw, vmdk, vdi, vhd, iso), compressed or not."
            error={fieldError(error, "url")}
          >
            {(p) => (
              <input
                {...p}
                type="url"
                inputMode="url"
                autoComplete="off"
                spellCheck={false}
                placeholder="https://cloud.debian.org/images/…/debian-12-genericcloud-amd64.qcow2"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                onBlur={() => url && suggestName(url)}
              />
            )}
          </Field>
        ) : (
          <Field
            label="Image file"
            hint="Sent straight to the controller; up to 64 GiB."
            error={missing ?? fieldError(error, "body")}
          >
            {(p) => (
              <input
                {...p}
                ref={fileInput}
                type="file"
                disabled={busy}
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  setFile(f);
                  if (f) suggestName(f.name);
                }}
              />
            )}
          </Field>
        )}
      </div>
      <div className="import-grid">
        <Field label="Name" hint="How it is listed when creating a server." error={fieldError(error, "name")}>
          {(p) => (
            <input
              {...p}
              required
              maxLength={100}
              autoComplete="off"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field label="System (optional)" hint="e.g. Debian 12" error={fieldError(error, "os")}>
          {(p) => <input {...p} maxLength={100} value={os} onChange={(e) => setOs(e.target.value)} />}
        </Field>
        <Field label="Format" error={fieldError(error, "format")}>
          {(p) => (
            <select {...p} value={format} onChange={(e) => setFormat(e.target.value)}>
              <option value="">Detect automatically</option>
              {IMPORT_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Visibility" error={fieldError(error, "visibility")}>
          {(p) => (
            <select
              {...p}
              value={visibility}
              onChange={(e) => setVisibility(e.target.value as "private" | "subtree" | "public")}
            >
              <option value="private">Private</option>
              {props.canShare && <option value="subtree">Shared with customers</option>}
              {props.canPublish && <option value="public">Public</option>}
            </select>
          )}
        </Field>
      </div>
      <Field
        label="SHA-256 checksum (optional)"
        hint="The published checksum; the import stops if the file does not match."
        error={fieldError(error, "sha256")}
      >
        {(p) => (
          <input
            {...p}
            className="mono"
            autoComplete="off"
            spellCheck={false}
            maxLength={64}
            value={sha256}
            onChange={(e) => setSha256(e.target.value)}
          />
        )}
      </Field>

      {progress && (
        <div className="upload">
          <label htmlFor="upload-progress">
            Uploading {file?.name}: {percent}% ({bytes(progress.loaded)} of {bytes(progress.total)})
          </label>
          <progress id="upload-progress" max={progress.total || 1} value={progress.loaded}>
            {percent}%
          </progress>
        </div>
      )}
      <ErrorMessage error={general} />
      {cancelled && <p className="muted">The upload was cancelled.</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {fromUrl.isPending
            ? "Starting…"
            : upload.isPending
              ? "Uploading…"
              : source === "url"
                ? "Import"
                : "Upload and import"}
        </button>
        {upload.isPending && (
          <button type="button" onClick={() => abort.current?.abort()}>
            Cancel upload
          </button>
        )}
      </div>
    </form>
  );
}
