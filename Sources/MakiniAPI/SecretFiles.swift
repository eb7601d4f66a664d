import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system side of secrets: permission-checked reads and the atomic rewrite of a refresh-token file.
public enum SecretFiles {
    /// The process environment.
    public static func processEnvironment() -> [String: String] {
        ProcessInfo.processInfo.environment
    }

    /// Reads a file that must not be accessible by group or others.
    public static func readPrivateFile(_ path: String) throws(SecretError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .fileUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let mode = UInt32(info.st_mode)
        guard mode & 0o077 == 0 else { throw .fileTooOpen(path: path, mode: mode) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .fileUnreadable(path: path, reason: "not readable by this user")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Replaces `path` atomically with `contents`: write a mode-600 temp file beside it, fsync, rename, fsync the directory.
    public static func writePrivateFileAtomically(_ path: String, contents: String) throws(SecretError) {
        let directory = (path as NSString).deletingLastPathComponent
        let directoryPath = directory.isEmpty ? "." : directory
        let name = (path as NSString).lastPathComponent
        let temporaryPath = "\(directoryPath)/.\(name).\(UInt32.random(in: .min ... .max)).tmp"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw .fileUnreadable(path: temporaryPath, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
        var bytes = Array(contents.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var written = 0
        var failure: String?
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                failure = "cannot write: \(String(cString: strerror(errno)))"
                break
            }
            written += result
        }
        if failure == nil, fchmod(descriptor, 0o600) != 0 { failure = "cannot chmod: \(String(cString: strerror(errno)))" }
        if failure == nil, fsync(descriptor) != 0 { failure = "cannot fsync: \(String(cString: strerror(errno)))" }
        close(descriptor)
        if failure == nil, rename(temporaryPath, path) != 0 { failure = "cannot rename into place: \(String(cString: strerror(errno)))" }
        if let failure {
            unlink(temporaryPath)
            throw .fileUnreadable(path: path, reason: failure)
        }
        let directoryDescriptor = open(directoryPath, O_RDONLY)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
