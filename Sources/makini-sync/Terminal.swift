import Foundation
import Redaction

/// Writing to the user's terminal: every line of stdout and stderr the command line prints passes the redactor.
enum Terminal {
    /// Prints a line on stdout.
    static func line(_ text: String) {
        print(SecretRedactor.redact(text))
    }

    /// Prints an error line on stderr.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(SecretRedactor.redact("makini-sync: error: \(message)\n").utf8))
    }

    /// Prints a line on stderr.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data(SecretRedactor.redact("\(message)\n").utf8))
    }
}
