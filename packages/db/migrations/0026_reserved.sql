-- Reserved (issue 17, federation): number 0026 was set aside for the remote-server work, which
-- needed no migration. This file only keeps the numbers in sequence, so that
-- 0028_federation_usage.sql follows. Work that needs number 0026 puts its SQL here, in place of
-- this statement, under a name of its own.
SELECT 1;
