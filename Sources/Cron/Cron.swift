// Cron module.
