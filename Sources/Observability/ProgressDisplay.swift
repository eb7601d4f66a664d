import Synchronization
import Redaction

/// One updating line per active stream on a terminal; prints nothing when disabled (stderr not a TTY).
/// On standard error it shares the terminal with log lines, which appear above the progress lines.
public final class ProgressDisplay: Sendable {
    private struct ActiveStream {
        var started: ContinuousClock.Instant
        var records: Int
        var pages: Int
        var retries: Int
    }

    private struct State {
        var order: [String] = []
        var streams: [String: ActiveStream] = [:]
        var drawnLineCount = 0
        var stopped = false
    }

    /// Whether anything is drawn at all.
    public let isEnabled: Bool
    private let sink: OutputSink
    private let width: Int?
    private let clock = ContinuousClock()
    private let state = Mutex(State())

    /// Creates a display; `enabled: nil` means "only if standard error is a terminal". `terminalWidth: nil`
    /// asks the terminal (80 when it cannot tell).
    public init(enabled: Bool? = nil, output: LogOutput = .standardError, terminalWidth: Int? = nil) {
        isEnabled = enabled ?? FileDescriptorWriter.isTerminal(2)
        sink = isEnabled ? OutputSink.resolve(output) : OutputSink.resolve(.custom { _ in })
        width = terminalWidth
    }

    /// Sets a stream's totals (starting it on first sight) and redraws.
    public func update(stream: String, records: Int, pages: Int, retries: Int) {
        guard isEnabled else { return }
        let now = clock.now
        state.withLock { state in
            guard !state.stopped else { return }
            if state.streams[stream] == nil {
                state.order.append(stream)
                state.streams[stream] = ActiveStream(started: now, records: 0, pages: 0, retries: 0)
            }
            state.streams[stream]?.records = records
            state.streams[stream]?.pages = pages
            state.streams[stream]?.retries = retries
            redraw(&state, now: now)
        }
    }

    /// Removes a stream's updating line. Nothing permanent is printed: the run's summary has one line per stream.
    public func finish(stream: String) {
        guard isEnabled else { return }
        let now = clock.now
        state.withLock { state in
            guard !state.stopped else { return }
            state.streams[stream] = nil
            state.order.removeAll { $0 == stream }
            redraw(&state, now: now)
        }
    }

    /// Erases all updating lines; later updates are ignored.
    public func stop() {
        guard isEnabled else { return }
        state.withLock { state in
            guard !state.stopped else { return }
            state.order = []
            state.streams = [:]
            redraw(&state, now: clock.now)
            state.stopped = true
        }
    }

    private func redraw(_ state: inout State, now: ContinuousClock.Instant) {
        let columns = width ?? (sink.isStandardError ? FileDescriptorWriter.terminalColumns(2) : nil) ?? 80
        let streams = state.order.compactMap { name -> StreamProgress? in
            guard let active = state.streams[name] else { return nil }
            return StreamProgress(
                stream: name, records: active.records, pages: active.pages, retries: active.retries,
                elapsed: active.started.duration(to: now)
            )
        }
        let lines = ProgressFrame.render(streams: streams, width: columns)
        if sink.isStandardError {
            StandardErrorTerminal.shared.setOverlay(lines)
        } else {
            sink.writeRaw(StandardErrorTerminal.erase(lineCount: state.drawnLineCount) + StandardErrorTerminal.draw(lines))
        }
        state.drawnLineCount = lines.count
    }
}
