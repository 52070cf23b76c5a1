import { invalidParameterValue, missingParameter } from "./errors.js";

/** One level of a Query API request: `Name=…`, `Name.1=…`, `Name.1.Member=…`. */
type Node = { value?: string; children: Map<string, Node> };

const MAX_PARAMETERS = 1_000;

/** Whether `text` holds a character XML 1.0 cannot carry (C0 controls but tab and newlines, U+FFFE, U+FFFF). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) return true;
  }
  return false;
}

/**
 * The parameters of an EC2 Query request, from its form (or query) fields. Lists arrive as
 * `Name.N` and structures as `Name.N.Member`; each read names the parameter it was after,
 * so a bad value is refused in EC2's words (`InvalidParameterValue`, `MissingParameter`).
 */
export class Ec2Params {
  private constructor(
    private readonly node: Node,
    private readonly prefix: string,
  ) {}

  /** Parses `application/x-www-form-urlencoded` text. */
  static parse(form: string): Ec2Params {
    const fields = new URLSearchParams(form);
    const root: Node = { children: new Map() };
    let count = 0;
    for (const [name, value] of fields) {
      if (++count > MAX_PARAMETERS)
        throw invalidParameterValue("request", `more than ${MAX_PARAMETERS} parameters`);
      let node = root;
      for (const part of name.split(".")) {
        let child = node.children.get(part);
        if (!child) {
          child = { children: new Map() };
          node.children.set(part, child);
        }
        node = child;
      }
      // XML 1.0 cannot carry these, and no EC2 parameter needs them.
      if (hasControlCharacter(name) || hasControlCharacter(value))
        throw invalidParameterValue(
          [...name]
            .map((c) => (hasControlCharacter(c) ? "?" : c))
            .join("")
            .slice(0, 100),
          "control characters are not allowed.",
        );
      node.value = value;
    }
    return new Ec2Params(root, "");
  }

  /** Every field name and value, sorted: what a ClientToken's parameters hash is made of. */
  entries(): [string, string][] {
    const out: [string, string][] = [];
    const walk = (node: Node, name: string) => {
      if (node.value !== undefined) out.push([name, node.value]);
      for (const [part, child] of node.children) walk(child, name ? `${name}.${part}` : part);
    };
    walk(this.node, "");
    return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private nameOf(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  string(name: string): string | undefined {
    return this.node.children.get(name)?.value;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === "") throw missingParameter(this.nameOf(name));
    return value;
  }

  integer(name: string, range: { min: number; max: number }): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = /^-?\d{1,10}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(value) || value < range.min || value > range.max)
      throw invalidParameterValue(
        this.nameOf(name),
        `${text.slice(0, 40)} is not an integer from ${range.min} to ${range.max}.`,
      );
    return value;
  }

  boolean(name: string): boolean {
    const text = this.string(name);
    if (text === undefined) return false;
    if (text !== "true" && text !== "false")
      throw invalidParameterValue(this.nameOf(name), `${text.slice(0, 40)} is neither true nor false.`);
    return text === "true";
  }

  /** The members of a list (`Name.1`, `Name.2`, …) in index order. */
  private members(name: string): [string, Node][] {
    const list = this.node.children.get(name);
    if (!list) return [];
    const items = [...list.children.entries()];
    for (const [index] of items)
      if (!/^[1-9]\d{0,3}$/.test(index))
        throw invalidParameterValue(this.nameOf(`${name}.${index}`), "a list index is a number from 1.");
    return items.sort(([a], [b]) => Number(a) - Number(b));
  }

  /** A list of strings: `InstanceId.1`, `InstanceId.2`… */
  list(name: string): string[] {
    return this.members(name)
      .map(([, node]) => node.value ?? "")
      .filter((v, i, all) => all.indexOf(v) === i);
  }

  /** A list of structures: `Filter.1.Name`, `Filter.1.Value.1`… */
  structs(name: string): Ec2Params[] {
    return this.members(name).map(([index, node]) => new Ec2Params(node, this.nameOf(`${name}.${index}`)));
  }

  /** A structure: `Placement.AvailabilityZone`. */
  struct(name: string): Ec2Params | undefined {
    const node = this.node.children.get(name);
    return node ? new Ec2Params(node, this.nameOf(name)) : undefined;
  }

  /** `Filter.N.Name` and its `Value.M`s; a name given twice keeps both sets of values (EC2 ANDs them). */
  filters(): Filter[] {
    return this.structs("Filter").map((f) => ({ name: f.required("Name"), values: f.list("Value") }));
  }
}

/** One `Filter.N` of a Describe call. */
export interface Filter {
  name: string;
  values: string[];
}

/**
 * Refuses filters outside `supported`, naming the first one: a filter silently ignored would
 * answer more than the caller asked for. `tag:<key>` is allowed when `tag:` is supported.
 */
export function checkFilters(filters: Filter[], supported: readonly string[]): void {
  for (const f of filters) {
    const known = supported.includes(f.name) || (f.name.startsWith("tag:") && supported.includes("tag:"));
    if (!known)
      throw invalidParameterValue(
        "Filter",
        `the filter "${f.name.slice(0, 60)}" is not supported; supported: ${supported.join(", ")}.`,
      );
    if (f.values.length === 0)
      throw invalidParameterValue(`Filter ${f.name}`, "a filter needs at least one value.");
  }
}
