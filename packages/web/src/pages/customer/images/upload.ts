import { ApiError, csrfToken } from "../../../api";
import type { ImageJob, ImportFields } from "./jobs";

/** How far an upload has come, in bytes. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * Sends a local file to POST /images/uploads as the raw request body (application/octet-stream,
 * streamed to disk by the controller), the import's fields in the query. fetch() reports no
 * upload progress, so this one call is an XMLHttpRequest; it carries the session cookie and the
 * CSRF token like every other change. Answers with the import job, or throws the API's error.
 */
export function uploadImage(
  file: File,
  fields: ImportFields,
  onProgress: (p: UploadProgress) => void,
  signal: AbortSignal,
): Promise<ImageJob> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...fields, filename: file.name })) {
    if (value) query.set(key, value);
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/images/uploads?${query.toString()}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader("content-type", "application/octet-stream");
    const token = csrfToken();
    if (token) xhr.setRequestHeader("x-csrf-token", token);
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) =>
      onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        resolve(body as ImageJob);
        return;
      }
      const error = (
        body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
      )?.error;
      const field = error?.details?.["field"];
      reject(
        new ApiError(
          xhr.status,
          error?.code ?? "unknown",
          error?.message ?? `The upload failed (HTTP ${xhr.status}).`,
          typeof field === "string" ? field : undefined,
        ),
      );
    };
    xhr.onerror = () =>
      reject(new Error("The upload was interrupted: the connection to the controller broke."));
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
