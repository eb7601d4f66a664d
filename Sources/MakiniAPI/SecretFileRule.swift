/// The rules a token or secret file must meet before it is read, each with the fix a user can apply. Pure: decided
/// from the file's `stat` and the running user, then from what reading it produced.
public enum SecretFileRule: Sendable, Equatable, CustomStringConvertible {
    /// Not a regular file (a directory, FIFO, device, socket…); `kind` names what it is.
    case notARegularFile(kind: String)
    /// Owned by another user than the one running makini-sync (or root).
    case ownedByAnotherUser(owner: UInt32, runningUser: UInt32)
    /// Permission bits wider than 0600 (group or others may access it, or it is executable or setuid).
    case modeWiderThan600(mode: UInt32)
    /// Larger than `limit` bytes: no token or secret is that long.
    case largerThan(limit: Int)
    /// It reports a size that differs from what reading it gives: a /proc or /sys pseudo-file, not a file on disk.
    case pseudoFile

    /// The largest secret file read, in bytes: a few KiB hold any token, client secret or refresh token.
    public static let maxBytes = 8 * 1024

    /// The rule the file breaks according to its `stat`, or nil. `mode` is `st_mode` (type and permission bits).
    public static func check(mode: UInt32, owner: UInt32, size: Int64, runningUser: UInt32) -> SecretFileRule? {
        let type = mode & 0o170000
        guard type == 0o100000 else { return .notARegularFile(kind: kindName(type)) }
        guard owner == runningUser || owner == 0 else { return .ownedByAnotherUser(owner: owner, runningUser: runningUser) }
        guard mode & 0o7177 == 0 else { return .modeWiderThan600(mode: mode & 0o7777) }
        guard size <= Int64(maxBytes) else { return .largerThan(limit: maxBytes) }
        return nil
    }

    /// The rule the file breaks according to what reading it produced (`readCount` bytes, at most `maxBytes + 1`
    /// asked for), or nil.
    public static func check(readCount: Int, statSize: Int64) -> SecretFileRule? {
        if readCount > maxBytes { return .largerThan(limit: maxBytes) }
        if Int64(readCount) != statSize { return .pseudoFile }
        return nil
    }

    /// What the file is, for the message.
    static func kindName(_ type: UInt32) -> String {
        switch type {
        case 0o040000: "a directory"
        case 0o010000: "a FIFO"
        case 0o020000: "a character device"
        case 0o060000: "a block device"
        case 0o140000: "a socket"
        case 0o120000: "a symbolic link"
        default: "not a regular file"
        }
    }

    /// The rule broken and how to meet it.
    public var description: String {
        switch self {
        case .notARegularFile(let kind):
            "it is \(kind); a secret file must be a regular file"
        case .ownedByAnotherUser(let owner, let runningUser):
            "it is owned by uid \(owner); a secret file must be owned by the user running makini-sync (uid \(runningUser)) or root"
        case .modeWiderThan600(let mode):
            "its mode \(String(mode, radix: 8)) is wider than 600 (only its owner may read or write it)"
        case .largerThan(let limit):
            "it is larger than \(limit) bytes; a secret file holds one token or secret"
        case .pseudoFile:
            "it is a /proc or /sys pseudo-file, not a file on disk; put the secret in a file of its own"
        }
    }
}
