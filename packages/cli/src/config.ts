import { mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { CliEnv } from "./cli-io.js";

/** What `layerboom login` remembers. */
export interface CliConfig {
  url?: string;
  token?: string;
}

/** `$LAYERBOOM_CONFIG_DIR`, else `$XDG_CONFIG_HOME/layerboom`, else `~/.config/layerboom`. */
export function configDir(env: CliEnv): string {
  return (
    env["LAYERBOOM_CONFIG_DIR"] ??
    join(env["XDG_CONFIG_HOME"] ?? join(env["HOME"] ?? homedir(), ".config"), "layerboom")
  );
}

export function configPath(env: CliEnv): string {
  return join(configDir(env), "config.json");
}

export async function readConfig(env: CliEnv): Promise<CliConfig> {
  try {
    return JSON.parse(await readFile(configPath(env), "utf8")) as CliConfig;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(
      `Cannot read ${configPath(env)}: ${(err as Error).message}. Fix or delete it, then run \`layerboom login\`.`,
    );
  }
}

/** Writes the config readable by its owner only: it holds a bearer token. */
export async function writeConfig(config: CliConfig, env: CliEnv): Promise<string> {
  await mkdir(configDir(env), { recursive: true, mode: 0o700 });
  const path = configPath(env);
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return path;
}

/** Flags win over the environment (LAYERBOOM_URL, LAYERBOOM_TOKEN), which wins over the config file. */
export async function resolveConnection(
  flags: { url?: string | undefined; token?: string | undefined },
  env: CliEnv,
): Promise<{ url: string | undefined; token: string | undefined }> {
  const file = await readConfig(env);
  return {
    url: flags.url ?? env["LAYERBOOM_URL"] ?? file.url,
    token: flags.token ?? env["LAYERBOOM_TOKEN"] ?? file.token,
  };
}
