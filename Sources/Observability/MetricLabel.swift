/// Label values that come from outside (error codes a server chose, HTTP statuses) bounded to a known set, so a
/// metric keeps few series and never carries a server's text: anything else is `OTHER`.
public enum MetricLabel {
    /// The label of every value outside the known set.
    public static let other = "OTHER"

    /// `code` when it is in `known` or an `HTTP_<status>` code of a real status (100-599), else `OTHER`.
    public static func errorCode(_ code: String, known: Set<String>) -> String {
        if known.contains(code) { return code }
        if code.hasPrefix("HTTP_"), isStatus(code.dropFirst(5)) { return code }
        return other
    }

    /// An HTTP status (100-599), `transport` or `cancelled`, else `OTHER`.
    public static func status(_ status: String) -> String {
        status == "transport" || status == "cancelled" || isStatus(Substring(status)) ? status : other
    }

    private static func isStatus(_ text: Substring) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            && Int(text).map { (100...599).contains($0) } == true
    }
}
