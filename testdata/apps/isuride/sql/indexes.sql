-- Indexes added during the contest. Loaded after ../schema.sql.

ALTER TABLE chairs ADD INDEX idx_chairs_owner_id (owner_id);
CREATE UNIQUE INDEX idx_chairs_access_token ON chairs (access_token);

ALTER TABLE rides
  ADD INDEX idx_rides_user_id_created_at (user_id, created_at),
  ADD INDEX idx_rides_chair_id_updated_at (chair_id, updated_at);

CREATE INDEX idx_notifications_user_id_created_at ON notifications (user_id, created_at);

-- TODO: chair_locations (chair_id, created_at) — not added yet.
