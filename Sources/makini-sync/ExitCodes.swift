import ArgumentParser

/// The `--help` text of the exit statuses (the values are `ExitStatus`), acted on by cron and systemd.
enum ExitCodes {
    static let helpText = """
        Exit statuses:
          0   success
          2   some streams failed (the others completed)
          3   skipped: the job's lock is held by another run
          64  usage error (bad flags)
          75  warehouse unreachable (temporary; retry later)
          77  a connection needs re-authorisation in Makini
          78  configuration error (job files, migrations, credentials, database URL or login,
              --api-base-url, --metrics-file, --listen)
          130 interrupted by SIGTERM/SIGINT after each stream's last committed page
        When several jobs end differently, the most actionable status wins (78, 77, 75, 2, 130, 3).
        """
}
