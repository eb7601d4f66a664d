import Foundation
import Logging
import Observability
import Redaction

/// Writing to the user's terminal: every line of stdout and stderr the command line prints passes the redactor.
enum Terminal {
    /// Prints a line on stdout, secrets masked.
    static func line(_ text: String) {
        print(SecretRedactor.redact(text))
    }

    /// Prints an error line on stderr (a JSON log line when --log-format json is in force), secrets masked.
    static func error(_ message: String) {
        if LogSetup.format == .json {
            Logger(label: "makini-sync").error("\(message)")
        } else {
            FileHandle.standardError.write(Data(SecretRedactor.redact("makini-sync: error: \(message)\n").utf8))
        }
    }

    /// Prints a warning line on stderr, secrets masked.
    static func warning(_ message: String) {
        if LogSetup.format == .json {
            Logger(label: "makini-sync").warning("\(message)")
        } else {
            FileHandle.standardError.write(Data(SecretRedactor.redact("makini-sync: warning: \(message)\n").utf8))
        }
    }

    /// Prints a line on stderr.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data(SecretRedactor.redact("\(message)\n").utf8))
    }
}
