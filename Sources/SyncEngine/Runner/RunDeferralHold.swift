import Logging
import Warehouse

/// A run's hold on the index deferrals its first loads join (`IndexDeferral`). Without it a table's secondary indexes
/// are built again whenever every load running on it happens to end at the same moment, and the loads that start after
/// that find the table too big to set them aside again: 200 new connections synced eight at a time paid index upkeep
/// on almost every row. With it the run's bookkeeping session also holds the table's advisory lock in shared mode,
/// from the first load that joins until the run's round of connections ends; the indexes are then built once, by
/// whoever leaves last. A run that dies lets the lock go with its session, and the next run (or `migrate`) builds
/// what is still set aside, as for any loader.
actor RunDeferralHold {
    private let session: WarehouseSession
    private let logger: Logger
    private var book = DeferralHoldBook()

    init(session: WarehouseSession, logger: Logger) {
        self.session = session
        self.logger = logger
    }

    /// A stream joined `deferral`: the run holds it too, unless it does already. A failure only costs the speed-up.
    func keep(_ deferral: IndexDeferral) async {
        guard book.reserve(deferral.qualifiedTable) else { return }
        do {
            if try await session.holdIndexDeferral(deferral) {
                book.hold(deferral)
                logger.info("the secondary indexes of \(deferral.table) stay set aside until the run's connections are done")
            } else {
                book.forget(deferral.qualifiedTable)
            }
        } catch {
            book.forget(deferral.qualifiedTable)
            logger.warning("could not hold the index deferral of \(deferral.table) for the run: \(error)")
        }
    }

    /// The round of connections ended: the run lets every table go; where no load holds one any more, it builds the
    /// indexes again now.
    func roundEnded() async {
        for deferral in book.releaseAll() {
            do {
                let started = ContinuousClock.now
                if let built = try await session.leaveIndexDeferral(deferral) {
                    IndexRebuildLog.built(built, table: deferral.table, since: started, logger: logger)
                }
            } catch {
                logger.warning("could not build the secondary indexes of \(deferral.table) again; the next run or migrate does: \(error)")
            }
        }
    }
}

/// Which tables a run holds (`RunDeferralHold`); pure, so its rules are unit-tested. A table is reserved before the
/// lock is asked for, so two streams joining at once take it once (a shared advisory lock taken twice needs two unlocks).
struct DeferralHoldBook: Sendable {
    private var reserved: Set<String> = []
    private var held: [String: IndexDeferral] = [:]

    /// True when the run should ask for the table's lock now (nobody in the run asked yet); reserves it.
    mutating func reserve(_ table: String) -> Bool { reserved.insert(table).inserted }

    /// The lock was taken.
    mutating func hold(_ deferral: IndexDeferral) { held[deferral.qualifiedTable] = deferral }

    /// The lock was not taken: a later join may ask again.
    mutating func forget(_ table: String) { reserved.remove(table) }

    /// Every table held, to let go; the book is empty afterwards.
    mutating func releaseAll() -> [IndexDeferral] {
        defer { held = [:]; reserved = [] }
        return held.keys.sorted().compactMap { held[$0] }
    }

    /// The tables held now (quoted qualified names).
    var heldTables: [String] { held.keys.sorted() }
}
