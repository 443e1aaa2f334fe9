-- Reserved for the overview area; filled in by its issue. Hand-written SQL (no drizzle-kit generate: parallel work).
SELECT 1;
