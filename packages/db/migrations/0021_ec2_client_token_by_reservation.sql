-- DescribeInstances reads each RunInstances instance's client token back by its reservation
-- (packages/controller/src/ec2/instance-queries.ts). The primary key (account_id, client_token)
-- cannot answer that, so each row on a page scanned all of its account's tokens, a cost that grew
-- with the account's history.
CREATE INDEX ec2_client_tokens_by_reservation ON ec2_client_tokens (account_id, reservation_id);
