import Foundation
import Logging
import Observability

/// Writing to the user's terminal.
enum Terminal {
    /// Prints an error line on stderr (a JSON log line when --log-format json is in force).
    static func error(_ message: String) {
        if LogSetup.format == .json {
            Logger(label: "makini-sync").error("\(message)")
        } else {
            FileHandle.standardError.write(Data("makini-sync: error: \(message)\n".utf8))
        }
    }

    /// Prints a warning line on stderr.
    static func warning(_ message: String) {
        if LogSetup.format == .json {
            Logger(label: "makini-sync").warning("\(message)")
        } else {
            FileHandle.standardError.write(Data("makini-sync: warning: \(message)\n".utf8))
        }
    }

    /// Prints a line on stderr.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }
}
