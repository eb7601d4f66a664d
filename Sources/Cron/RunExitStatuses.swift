/// The exit statuses of `makini-sync run` that service managers act on (sysexits.h values where one fits).
public struct RunExitStatuses: Sendable, Equatable {
    /// Every stream of every job synced.
    public var success: Int32
    /// Some streams failed; the others synced (retrying immediately rarely helps).
    public var partialFailure: Int32
    /// Skipped because another process or host holds the job's lock (not a failure).
    public var lockHeld: Int32
    /// Bad command line (EX_USAGE).
    public var usage: Int32
    /// The warehouse could not be reached; worth retrying later (EX_TEMPFAIL).
    public var warehouseUnavailable: Int32
    /// A connection needs re-authorisation by a person (EX_NOPERM).
    public var needsReauthorisation: Int32
    /// Invalid job files or settings (EX_CONFIG).
    public var configuration: Int32
    /// Stopped by SIGTERM/SIGINT after each stream's last committed page (`systemctl stop`); the next run resumes.
    public var interrupted: Int32

    /// Creates a mapping with explicit values.
    public init(
        success: Int32, partialFailure: Int32, lockHeld: Int32, usage: Int32,
        warehouseUnavailable: Int32, needsReauthorisation: Int32, configuration: Int32, interrupted: Int32 = 130
    ) {
        self.success = success
        self.partialFailure = partialFailure
        self.lockHeld = lockHeld
        self.usage = usage
        self.warehouseUnavailable = warehouseUnavailable
        self.needsReauthorisation = needsReauthorisation
        self.configuration = configuration
        self.interrupted = interrupted
    }

    /// The documented statuses: 0, 2 (partial), 3 (lock held), 64, 75, 77, 78, 130 (interrupted).
    public static let documented = RunExitStatuses(
        success: 0, partialFailure: 2, lockHeld: 3, usage: 64,
        warehouseUnavailable: 75, needsReauthorisation: 77, configuration: 78, interrupted: 130)

    /// Statuses a service manager should count as success besides 0: a held lock, and a stop it asked for.
    public var additionalSuccess: [Int32] { [lockHeld, interrupted] }

    /// Failure statuses that a restart cannot fix without a person (bad input, re-authorisation, partial failure).
    public var notWorthRestarting: [Int32] { [partialFailure, usage, needsReauthorisation, configuration] }
}
