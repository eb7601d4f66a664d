/// The character rules for names that end up in file names, SQL identifiers, URLs or environment lookups.
/// Checked by hand over ASCII bytes, so quotes, semicolons, spaces and look-alike unicode letters never pass.
public enum IdentifierRules {
    /// A job name: `^[a-z0-9][a-z0-9_-]{0,62}$`.
    static func isJobName(_ text: String) -> Bool {
        matches(text, maxLength: 63, first: isLowerAlnum) { isLowerAlnum($0) || $0 == ascii("_") || $0 == ascii("-") }
    }

    /// A connection id: `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`.
    public static func isConnectionID(_ text: String) -> Bool {
        matches(text, maxLength: 128, first: isAlnum) { isAlnum($0) || $0 == ascii(".") || $0 == ascii("_") || $0 == ascii("-") }
    }

    /// A table name: `^[a-z_][a-z0-9_]{0,62}$`.
    static func isTableName(_ text: String) -> Bool {
        matches(text, maxLength: 63, first: { isLower($0) || $0 == ascii("_") }) { isLowerAlnum($0) || $0 == ascii("_") }
    }

    /// An entity path: segments `[a-z][a-z0-9-]*` joined by '/' or '.', at most 63 characters, so its default
    /// table name is always a valid table name.
    static func isEntityName(_ text: String) -> Bool {
        guard matches(text, maxLength: 63, first: isLower, rest: { isLowerAlnum($0) || $0 == ascii("-") || $0 == ascii("/") || $0 == ascii(".") })
        else { return false }
        let segments = text.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) }
        return segments.allSatisfy { segment in segment.first.map(isLower) ?? false }
    }

    /// An environment variable name: `^[A-Za-z_][A-Za-z0-9_]{0,127}$`.
    static func isEnvironmentName(_ text: String) -> Bool {
        matches(text, maxLength: 128, first: { isAlpha($0) || $0 == ascii("_") }) { isAlnum($0) || $0 == ascii("_") }
    }

    /// A platform label: `^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$`.
    static func isPlatformLabel(_ text: String) -> Bool {
        matches(text, maxLength: 64, first: isAlnum) { isAlnum($0) || $0 == ascii(".") || $0 == ascii("_") || $0 == ascii("-") || $0 == ascii(" ") }
    }

    /// An API error code: `^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`.
    static func isErrorCode(_ text: String) -> Bool {
        matches(text, maxLength: 64, first: isAlnum) { isAlnum($0) || $0 == ascii("_") || $0 == ascii(".") || $0 == ascii("-") }
    }

    /// A query-parameter template: printable ASCII without spaces or URL delimiters (`&`, `=`, `?`, `#`, `%`).
    static func isParameterTemplate(_ text: String) -> Bool {
        let forbidden: Set<UInt8> = [UInt8(ascii: "&"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "%")]
        return matches(text, maxLength: 100, first: { $0 > 0x20 && $0 < 0x7F && !forbidden.contains($0) }) {
            $0 > 0x20 && $0 < 0x7F && !forbidden.contains($0)
        }
    }

    /// A file path for a secret: 1...4096 bytes, no control characters.
    static func isFilePath(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 4096 && !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Suggests an environment variable name for a connection's token: "MAKINI_TOKEN_JDE_PLANT_A".
    static func tokenVariableName(for connectionID: String?) -> String {
        guard let connectionID, isConnectionID(connectionID) else { return "MAKINI_TOKEN" }
        let upper = connectionID.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return "MAKINI_TOKEN_" + String(upper)
    }

    private static func matches(
        _ text: String, maxLength: Int, first: (UInt8) -> Bool, rest: (UInt8) -> Bool
    ) -> Bool {
        let bytes = Array(text.utf8)
        guard let head = bytes.first, bytes.count <= maxLength, first(head) else { return false }
        return bytes.dropFirst().allSatisfy(rest)
    }

    private static func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(ascii: character) }
    private static func isLower(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    private static func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private static func isAlpha(_ byte: UInt8) -> Bool { isLower(byte) || isUpper(byte) }
    private static func isAlnum(_ byte: UInt8) -> Bool { isAlpha(byte) || isDigit(byte) }
    private static func isLowerAlnum(_ byte: UInt8) -> Bool { isLower(byte) || isDigit(byte) }
}
