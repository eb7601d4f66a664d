import Foundation
import Testing
@testable import Notices

/// The command channel against real processes: stdin delivered, exit status and stderr reported, a hanging command
/// stopped at its timeout.
@Suite("Notice command")
struct NoticeCommandTests {
    private func script(_ body: String) throws -> (path: String, directory: String) {
        let directory = NSTemporaryDirectory() + "notice-command-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/notify.sh"
        _ = FileManager.default.createFile(atPath: path, contents: Data("#!/bin/sh\n\(body)\n".utf8), attributes: [.posixPermissions: 0o700])
        return (path, directory)
    }

    @Test("the body arrives on stdin and the arguments as given, without a shell")
    func stdinAndArguments() async throws {
        let (path, directory) = try script("cat > \"$1/stdin.json\"; printf '%s' \"$2\" > \"$1/argument\"")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let body = Data("{\"job\":\"x\"}".utf8)
        let delivery = await NoticeCommand.send(body, argv: [path, directory, "a b; $(touch nope)"], timeout: 30, environment: [:])
        #expect(delivery == NoticeDelivery(channel: .command, delivered: true, detail: "exit 0"))
        #expect(FileManager.default.contents(atPath: directory + "/stdin.json") == body)
        #expect(FileManager.default.contents(atPath: directory + "/argument") == Data("a b; $(touch nope)".utf8))
        #expect(!FileManager.default.fileExists(atPath: "nope"))
    }

    @Test("a non-zero exit is a failed delivery with the tail of stderr")
    func failingCommand() async throws {
        let (path, directory) = try script("cat > /dev/null; echo 'pager unreachable' >&2; exit 3")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let delivery = await NoticeCommand.send(Data("{}".utf8), argv: [path], timeout: 30, environment: [:])
        #expect(delivery == NoticeDelivery(channel: .command, delivered: false, detail: "exit 3; stderr: pager unreachable"))
    }

    @Test("a command that never ends is stopped at the timeout")
    func timeout() async throws {
        let (path, directory) = try script("exec sleep 600")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let delivery = await NoticeCommand.send(Data("{}".utf8), argv: [path], timeout: 0.2, environment: [:])
        #expect(!delivery.delivered)
        // SIGTERM, or SIGKILL two seconds later when the command does not die of it (it may ignore or block SIGTERM).
        #expect(delivery.detail == "timed out after 0.2s; killed by signal 15" || delivery.detail == "timed out after 0.2s; killed by signal 9")
    }

    @Test("a program that cannot be started is a failed delivery")
    func missingProgram() async {
        let delivery = await NoticeCommand.send(Data("{}".utf8), argv: ["/nonexistent/page-oncall"], timeout: 5, environment: [:])
        #expect(!delivery.delivered)
        #expect(delivery.detail.hasPrefix("cannot start /nonexistent/page-oncall"))
    }
}
