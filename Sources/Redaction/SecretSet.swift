/// A set of secrets and the masking of them in text: a pure value, searched byte by byte over UTF-8.
///
/// Secrets are valid UTF-8, so a match always starts and ends on a scalar boundary and the masked text stays valid.
/// At each position the longest secret wins, so a secret containing another is masked whole.
public struct SecretSet: Sendable, Equatable {
    /// The secrets by their first byte, longest first within a bucket.
    private var buckets: [[[UInt8]]] = Array(repeating: [], count: 256)
    /// How many secrets are held.
    public private(set) var count = 0
    /// The length in UTF-8 bytes of the longest secret.
    public private(set) var longestByteCount = 0

    /// An empty set.
    public init() {}

    /// A set holding `secrets` (empty strings are ignored).
    public init(_ secrets: some Sequence<String>) {
        for secret in secrets { insert(secret) }
    }

    /// Adds `secret`; returns false when it was empty or already present.
    @discardableResult
    public mutating func insert(_ secret: String) -> Bool {
        let bytes = Array(secret.utf8)
        guard let first = bytes.first else { return false }
        let index = Int(first)
        guard !buckets[index].contains(bytes) else { return false }
        buckets[index].append(bytes)
        buckets[index].sort { $0.count > $1.count }
        count += 1
        longestByteCount = max(longestByteCount, bytes.count)
        return true
    }

    /// Whether `text` holds any secret of the set.
    public func occurs(in text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            (0..<bytes.count).contains { match(in: bytes, at: $0) != nil }
        }
    }

    /// `text` with every secret replaced by `mask`; `text` itself (no copy) when none occurs.
    public func masking(_ text: String, with mask: String) -> String {
        guard count > 0 else { return text }
        var text = text
        return text.withUTF8 { bytes -> String in
            var output: [UInt8] = []
            var copiedUpTo = 0
            var position = 0
            while position < bytes.count {
                guard let length = match(in: bytes, at: position) else {
                    position += 1
                    continue
                }
                if output.isEmpty { output.reserveCapacity(bytes.count) }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo..<position]))
                output.append(contentsOf: mask.utf8)
                position += length
                copiedUpTo = position
            }
            guard copiedUpTo > 0 else { return String(decoding: bytes, as: UTF8.self) }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo...]))
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// `text` with a trailing piece that begins some secret — a secret cut off where `text` was cut from a longer
    /// text — replaced by `mask`; `text` itself when it ends in no such piece.
    public func maskingCutOffSecret(_ text: String, with mask: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String in
            let longestPiece = min(longestByteCount - 1, bytes.count)
            if longestPiece > 0 {
                for length in stride(from: longestPiece, through: 1, by: -1) {
                    let start = bytes.count - length
                    let piece = UnsafeBufferPointer(rebasing: bytes[start...])
                    let cut = buckets[Int(bytes[start])].contains { $0.count > length && $0[..<length].elementsEqual(piece) }
                    if cut {
                        return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<start]), as: UTF8.self) + mask
                    }
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The byte length of the longest secret starting at `position`, or nil.
    private func match(in bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> Int? {
        let candidates = buckets[Int(bytes[position])]
        let remaining = bytes.count - position
        for secret in candidates where secret.count <= remaining {
            var index = 1
            while index < secret.count, bytes[position + index] == secret[index] { index += 1 }
            if index == secret.count { return secret.count }
        }
        return nil
    }
}
