import Testing
@testable import Observability

@Suite("Progress")
struct ProgressTests {
    @Test func frameShowsCountsAndRate() {
        let stream = StreamProgress(stream: "plant/jde/work-orders", records: 1_000, pages: 10, retries: 2, elapsed: .seconds(4))
        let lines = ProgressFrame.render(streams: [stream], width: 200)
        #expect(lines == ["plant/jde/work-orders  1000 records  10 pages  250.0 rec/s  2 retries  0:04"])
    }

    @Test func rateIsZeroBeforeTimePasses() {
        let stream = StreamProgress(stream: "a/b/c", records: 5, pages: 1, retries: 1, elapsed: .zero)
        #expect(stream.recordsPerSecond == 0)
        #expect(ProgressFrame.line(for: stream) == "a/b/c  5 records  1 pages  0.0 rec/s  1 retry  0:00")
    }

    @Test func longElapsedShowsHours() {
        let stream = StreamProgress(stream: "a/b/c", records: 3_700, pages: 37, retries: 0, elapsed: .seconds(3_700))
        #expect(ProgressFrame.line(for: stream).hasSuffix("1.0 rec/s  0 retries  1:01:40"))
    }

    @Test func linesAreCutToTheTerminalWidth() {
        let streams = [
            StreamProgress(stream: "plant/jde-plant-a/work-orders", records: 123_456, pages: 1_235, retries: 0, elapsed: .seconds(60)),
            StreamProgress(stream: "x/y/z", records: 1, pages: 1, retries: 0, elapsed: .seconds(1)),
        ]
        let lines = ProgressFrame(streams: streams, width: 30).lines
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.count <= 30 })
        #expect(lines[0] == "plant/jde-plant-a/work-orders…")
        #expect(lines[1].hasPrefix("x/y/z  1 records"))
        #expect(ProgressFrame.truncate("short", width: 30) == "short")
    }

    @Test func disabledDisplayPrintsNothing() {
        let collector = LineCollector()
        let display = ProgressDisplay(enabled: false, output: collector.output)
        display.update(stream: "plant/jde/work-orders", records: 10, pages: 1, retries: 0)
        display.finish(stream: "plant/jde/work-orders")
        display.stop()
        #expect(!display.isEnabled)
        #expect(collector.text.isEmpty)
    }

    @Test func enabledDisplayRedrawsInPlaceAndLeavesNoLinePerFinishedStream() {
        let collector = LineCollector()
        let display = ProgressDisplay(enabled: true, output: collector.output, terminalWidth: 120)
        display.update(stream: "plant/jde/work-orders", records: 100, pages: 1, retries: 0)
        display.update(stream: "plant/jde/assets", records: 50, pages: 1, retries: 0)
        display.update(stream: "plant/jde/work-orders", records: 200, pages: 2, retries: 1)
        display.finish(stream: "plant/jde/work-orders")
        display.stop()
        display.update(stream: "plant/jde/late", records: 1, pages: 1, retries: 0)
        let text = collector.text
        #expect(text.contains("plant/jde/work-orders  200 records  2 pages"))
        #expect(!text.contains("plant/jde/work-orders:"), "the run summary, not the progress display, reports a finished stream")
        #expect(text.contains("\u{1B}[2A\u{1B}[J"), "second frame of two lines erases the first")
        #expect(text.hasSuffix("\r\u{1B}[1A\u{1B}[J"), "stop erases the remaining line")
        #expect(!text.contains("plant/jde/late"))
    }
}
