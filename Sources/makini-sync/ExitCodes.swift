import ArgumentParser

/// The documented exit statuses (sysexits.h where one fits), acted on by cron and systemd.
enum ExitCodes {
    static let success: Int32 = 0
    static let partialFailure: Int32 = 2
    static let lockHeld: Int32 = 3
    static let usage: Int32 = 64
    static let warehouseUnavailable: Int32 = 75
    static let needsReauthorisation: Int32 = 77
    static let configuration: Int32 = 78

    static let helpText = """
        Exit statuses:
          0   success
          2   some streams failed (the others completed)
          3   skipped: the job's lock is held by another run
          64  usage error (bad flags)
          75  warehouse unreachable (temporary; retry later)
          77  a connection needs re-authorisation in Makini
          78  configuration error (job files, migrations, credentials setup)
        """

    static func exit(_ code: Int32) -> ExitCode { ExitCode(code) }
}
