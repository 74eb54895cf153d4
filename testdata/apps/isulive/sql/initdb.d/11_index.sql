-- indexes added after the fact; the composite index is not led by
-- created_at, so it does not serve ORDER BY created_at alone.
ALTER TABLE `reactions` ADD INDEX `idx_reactions_user_created` (`user_id`, `created_at`);
