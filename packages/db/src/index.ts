export { openDatabase } from "./database.js";
export type { Database, DatabaseKind, DatabaseOptions } from "./database.js";
export { isMigrated, loadMigrations, migrate, MIGRATIONS_DIR } from "./migrate.js";
export type { Migration } from "./migrate.js";
export { accountInSubtree, escapeLike } from "./tenancy.js";
export type * from "./schema.js";
export type * from "./schema-billing.js";
export type * from "./schema-resellers.js";
export type * from "./schema-tickets-webhooks.js";
