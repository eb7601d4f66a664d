import Hummingbird

/// The request context: Hummingbird's core storage plus a way to cut the connection (for faults).
struct SimulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Closes the underlying TCP connection without (or in the middle of) an answer.
    let closeConnection: @Sendable () -> Void

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        let channel = source.channel
        closeConnection = { channel.close(promise: nil) }
    }
}
