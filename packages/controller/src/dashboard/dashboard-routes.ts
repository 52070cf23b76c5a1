import { Type } from "@sinclair/typebox";
import { dashboardSummary } from "./summary.js";
import { Nullable, NullableTimestamp, Timestamp, errorResponses } from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";

const Capacity = {
  cpu_cores: Type.Integer(),
  memory_mib: Type.Integer(),
  disk_gib: Type.Integer(),
  used_vcpus: Type.Integer({ description: "vCPUs reserved by the servers placed here" }),
  used_memory_mib: Type.Integer(),
  used_disk_gib: Type.Integer(),
};

const PowerW = Nullable(
  Type.Number({
    description:
      "Facility power now (PUE included) in watts, from samples of the last 10 minutes; null when none",
  }),
);

const DashboardSite = Type.Object({
  id: Type.String(),
  name: Type.String(),
  country_code: Type.String(),
  region_code: Type.String(),
  time_zone: Type.String(),
  hosts: Type.Object({ total: Type.Integer(), up: Type.Integer(), down: Type.Integer() }),
  capacity: Type.Object(Capacity),
  server_count: Type.Integer(),
  power_w: PowerW,
  power_estimated: Type.Boolean({ description: "True when any reporting host's power comes from a model" }),
  hosts_reporting: Type.Integer(),
  price_per_mwh_minor: Nullable(
    Type.Integer({ description: "Electricity price in force now, minor units per MWh" }),
  ),
  price_currency: Nullable(Type.String()),
  carbon_g_per_kwh: Nullable(Type.Number({ description: "Grid carbon intensity now, gCO2e/kWh" })),
});

const HostState = Type.Union([Type.Literal("pending"), Type.Literal("up"), Type.Literal("down")]);

const DashboardHost = Type.Object({
  id: Type.String(),
  name: Type.String(),
  site_id: Type.String(),
  state: HostState,
  accelerator: Nullable(Type.Union([Type.Literal("kvm"), Type.Literal("tcg")])),
  ...Capacity,
  server_count: Type.Integer(),
  power_w: PowerW,
  power_estimated: Type.Boolean(),
  last_sample_at: NullableTimestamp,
  last_heartbeat_at: NullableTimestamp,
});

const Dashboard = Type.Object({
  generated_at: Timestamp,
  scope: Type.Union([Type.Literal("provider"), Type.Literal("reseller")]),
  sites: Type.Array(DashboardSite, { description: "The provider's sites; empty for a reseller" }),
  hosts: Type.Array(DashboardHost, { description: "The provider's hosts; empty for a reseller" }),
  hosts_down: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      site_id: Type.String(),
      state: Type.Union([Type.Literal("pending"), Type.Literal("down")]),
      reason: Type.String(),
      last_heartbeat_at: NullableTimestamp,
    }),
    { description: "Hosts not up: never connected (pending) or silent past the heartbeat limit (down)" },
  ),
  revenue_this_month: Type.Object({
    since: Timestamp,
    by_currency: Type.Array(
      Type.Object({
        currency: Type.String(),
        invoices: Type.Integer(),
        invoiced_minor: Type.Integer({
          description: "Totals (tax included) of invoices you issued this UTC month, less credit notes",
        }),
        credited_minor: Type.Integer(),
        paid_minor: Type.Integer(),
      }),
    ),
  }),
  open_tickets: Type.Integer({ description: "Tickets your staff handle that wait on your answer" }),
  pending_tickets: Type.Integer({ description: "Tickets your staff answered that wait on the customer" }),
  servers: Type.Object({
    total: Type.Integer(),
    by_state: Type.Array(Type.Object({ state: Type.String(), count: Type.Integer() })),
  }),
  customers: Type.Integer(),
});

/** The provider's and resellers' dashboard (docs/dashboard.md). */
export function registerDashboardRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/dashboard",
    {
      schema: {
        tags: ["dashboard"],
        summary:
          "Capacity and power now per site and host, hosts down, this month's invoicing, tickets, servers by state (provider and reseller admins)",
        response: { 200: Dashboard, ...errorResponses },
      },
    },
    async (request) => dashboardSummary(contextOf(deps, request)),
  );
}
