-- Active energy follows the host's busy CPU time, not only the VMs' (issue 14, docs/energy.md,
-- "Attribution rule"): the part of it the host used for its own work stays unallocated and is
-- kept apart here as host overhead, so a provider can see it (and spread it, if they choose,
-- as a separate line) instead of it hiding in a VM's figure.
ALTER TABLE host_energy ADD COLUMN host_overhead_uj bigint NOT NULL DEFAULT 0 CHECK (host_overhead_uj >= 0);

-- True when a sample in the bucket came without the host's busy time (an agent from before
-- issue 14), so its active energy was split over the VMs' CPU time only. Every bucket stored
-- before this migration was split that way, hence DEFAULT true for them and false afterwards.
ALTER TABLE host_energy ADD COLUMN vm_cpu_only boolean NOT NULL DEFAULT true;
ALTER TABLE host_energy ALTER COLUMN vm_cpu_only SET DEFAULT false;
ALTER TABLE server_energy ADD COLUMN vm_cpu_only boolean NOT NULL DEFAULT true;
ALTER TABLE server_energy ALTER COLUMN vm_cpu_only SET DEFAULT false;
