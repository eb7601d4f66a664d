import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system side of secrets: rule-checked reads (see `SecretFileRule`) and the atomic rewrite of a refresh-token file.
public enum SecretFiles {
    /// One variable of the process environment, read without copying the whole environment (a fleet's job names
    /// thousands of token variables, and every connection reads its own).
    @Sendable public static func environmentValue(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Reads a secret file that meets every `SecretFileRule`: its type, owner, mode and size are checked before a
    /// byte is read (so a FIFO or device is never opened for reading), and at most `SecretFileRule.maxBytes` + 1
    /// bytes are read from the very file checked.
    public static func readPrivateFile(_ path: String) throws(SecretError) -> String {
        var before = stat()
        guard stat(path, &before) == 0 else { throw .fileUnreadable(path: path, reason: String(cString: strerror(errno))) }
        try check(before, path: path)
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .fileUnreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .fileUnreadable(path: path, reason: String(cString: strerror(errno))) }
        guard info.st_dev == before.st_dev, info.st_ino == before.st_ino else {
            throw .fileUnreadable(path: path, reason: "it was replaced while being read; try again")
        }
        try check(info, path: path)
        var buffer = [UInt8](repeating: 0, count: SecretFileRule.maxBytes + 1)
        var count = 0
        while count < buffer.count {
            let result = buffer.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress.map { $0 + count }, raw.count - count)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .fileUnreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if result == 0 { break }
            count += result
        }
        if let rule = SecretFileRule.check(readCount: count, statSize: Int64(info.st_size)) {
            throw .fileRefused(path: path, rule: rule)
        }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    private static func check(_ info: stat, path: String) throws(SecretError) {
        if let rule = SecretFileRule.check(
            mode: UInt32(info.st_mode), owner: UInt32(info.st_uid), size: Int64(info.st_size), runningUser: UInt32(geteuid()))
        {
            throw .fileRefused(path: path, rule: rule)
        }
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
