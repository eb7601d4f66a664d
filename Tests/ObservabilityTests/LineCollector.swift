import Synchronization
import Foundation
@testable import Observability

/// Collects everything an output receives, for assertions.
final class LineCollector: Sendable {
    private let chunks = Mutex<[String]>([])

    var output: LogOutput {
        .custom { [self] text in chunks.withLock { $0.append(text) } }
    }

    var text: String { chunks.withLock { $0.joined() } }

    var lines: [String] { text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
}
