/**
 * Reads the `depends=` field of a kernel module's `.modinfo` section. Debian's .deb ships no
 * modules.dep (depmod runs at install time, and we never install the package), so the
 * initramfs builder resolves load order itself.
 */
export function moduleDependencies(ko: Buffer): string[] {
  const marker = Buffer.from("\0depends=");
  const at = ko.indexOf(marker);
  if (at < 0) return [];
  const start = at + marker.length;
  const end = ko.indexOf(0, start);
  const value = ko.subarray(start, end < 0 ? undefined : end).toString("latin1");
  return value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

/**
 * Orders modules so that every module comes after the modules it depends on.
 * `dependsOn` returns the direct dependencies of a module by name.
 */
export function moduleLoadOrder(
  wanted: readonly string[],
  dependsOn: (name: string) => readonly string[],
): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: readonly string[]): void => {
    const seen = state.get(name);
    if (seen === "done") return;
    if (seen === "visiting")
      throw new Error(`kernel module dependency cycle: ${[...path, name].join(" -> ")}`);
    state.set(name, "visiting");
    for (const dep of dependsOn(name)) visit(dep, [...path, name]);
    state.set(name, "done");
    order.push(name);
  };
  for (const name of wanted) visit(name, []);
  return order;
}
