import Foundation
import Logging
import SyncEngine
import UnixSignals
import Outcomes

/// SIGTERM and SIGINT for `run`, as in the daemon: the first asks every stream to finish its current page
/// transaction and stop (the run is recorded `interrupted`, exit 130); a second one exits at once.
enum StopOnSignals {
    /// Watches the signals until the returned task is cancelled.
    static func install(_ stop: StopSignal, logger: Logger) async -> Task<Void, Never> {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        return Task {
            var received = 0
            for await signal in signals {
                received += 1
                if received == 1 {
                    logger.notice("\(signal) received: streams stop after their current page transaction", metadata: ["code": "STOP_REQUESTED"])
                    stop.stop()
                } else {
                    logger.error("\(signal) received again: exiting now; the open page transactions are rolled back")
                    exit(ExitStatus.interrupted.rawValue)
                }
            }
        }
    }
}
