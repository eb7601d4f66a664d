import Synchronization

/// The simulator's base URL, known once the server has bound its port, shared by the server and its request handler
/// (page `next` links are absolute).
final class SimulatorAddress: Sendable {
    private let value: Mutex<String>

    init(_ url: String) { value = Mutex(url) }

    /// The base URL, e.g. `http://127.0.0.1:43121`.
    var url: String {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
