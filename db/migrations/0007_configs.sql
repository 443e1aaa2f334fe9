-- Reserved for the configs area; filled in by its issue. Hand-written SQL (no drizzle-kit generate: parallel work).
SELECT 1;
