/// Why the metrics textfile could not be written.
public enum MetricsTextfileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The temporary file next to the target could not be created.
    case cannotCreateTemporaryFile(path: String, reason: String)
    /// Writing or flushing the temporary file failed (disk full, I/O error).
    case writeFailed(path: String, reason: String)
    /// The temporary file could not be renamed over the target.
    case renameFailed(from: String, to: String, reason: String)

    /// A message naming the file and what to check.
    public var description: String {
        switch self {
        case .cannotCreateTemporaryFile(let path, let reason):
            return "cannot create metrics file \(path): \(reason); check that the directory exists and is writable"
        case .writeFailed(let path, let reason):
            return "cannot write metrics file \(path): \(reason); check free space on its file system"
        case .renameFailed(let from, let to, let reason):
            return "cannot rename \(from) to \(to): \(reason); both must be on the same file system"
        }
    }
}
