import { access, mkdir, mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { runProgram } from "@layerboom/sys";

/** The versioned kernel package a meta-package (`linux-image-cloud-amd64`) depends on, from the local apt lists. */
export async function resolveKernelPackage(meta: string): Promise<{ name: string; version: string }> {
  const depends = await runProgram("apt-cache", ["depends", meta], { timeoutMs: 30_000 });
  const name = /Depends: (linux-image-\S+)/.exec(depends.stdout)?.[1];
  if (!name) throw new Error(`apt-cache depends ${meta} names no linux-image package`);
  const policy = await runProgram("apt-cache", ["policy", name], { timeoutMs: 30_000 });
  const version = /Candidate: (\S+)/.exec(policy.stdout)?.[1];
  if (!version || version === "(none)") throw new Error(`apt has no candidate version of ${name}`);
  return { name, version };
}

/** The .deb of a package version, downloaded once into `<cacheDir>/debs` with `apt-get download`. */
export async function ensureDeb(cacheDir: string, name: string, version: string): Promise<string> {
  const debDir = join(cacheDir, "debs");
  const target = join(debDir, `${name}_${version.replaceAll(":", "%3a")}_amd64.deb`);
  if (
    await access(target).then(
      () => true,
      () => false,
    )
  )
    return target;
  await mkdir(debDir, { recursive: true });
  const tmp = await mkdtemp(join(debDir, "download-"));
  try {
    await runProgram("apt-get", ["download", `${name}=${version}`], { cwd: tmp, timeoutMs: 300_000 });
    const file = (await readdir(tmp)).find((f) => f.endsWith(".deb"));
    if (!file) throw new Error(`apt-get download ${name}=${version} left no .deb`);
    await rename(join(tmp, file), target);
    return target;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
