import Foundation

/// Writing to the user's terminal.
enum Terminal {
    /// Prints an error line on stderr.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("makini-sync: error: \(message)\n".utf8))
    }

    /// Prints a warning line on stderr.
    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("makini-sync: warning: \(message)\n".utf8))
    }

    /// Prints a line on stderr.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }
}
