#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file atomically the way node_exporter's textfile collector expects:
/// write `<path>.tmp.<pid>`, fsync, rename over `path`, fsync the directory.
enum AtomicFileWriter {
    /// Writes `contents` to `path` so that readers see either the old file or the complete new one.
    static func write(_ contents: String, to path: String) throws(MetricsTextfileError) {
        let temporaryPath = "\(path).tmp.\(getpid())"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .cannotCreateTemporaryFile(path: temporaryPath, reason: errorText(errno))
        }
        var bytes = Array(contents.utf8)
        if let failure = FileDescriptorWriter.writeAll(&bytes, to: descriptor) {
            close(descriptor)
            unlink(temporaryPath)
            throw .writeFailed(path: temporaryPath, reason: errorText(failure))
        }
        if fsync(descriptor) != 0 {
            let failure = errno
            close(descriptor)
            unlink(temporaryPath)
            throw .writeFailed(path: temporaryPath, reason: errorText(failure))
        }
        close(descriptor)
        guard rename(temporaryPath, path) == 0 else {
            let failure = errno
            unlink(temporaryPath)
            throw .renameFailed(from: temporaryPath, to: path, reason: errorText(failure))
        }
        syncDirectory(containing: path)
    }

    /// Flushes the directory entry of the rename; best effort (some file systems refuse).
    private static func syncDirectory(containing path: String) {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
