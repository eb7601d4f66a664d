/// Which metadata values a JSON log line writes unquoted: integers, finite floating-point numbers and booleans,
/// whose `description` is valid JSON as it stands.
enum JSONNumberText {
    static func isNumberOrBool(_ value: any CustomStringConvertible & Sendable) -> Bool {
        switch value {
        case is any BinaryInteger, is Bool: return true
        case let number as Double: return number.isFinite
        case let number as Float: return number.isFinite
        default: return false
        }
    }
}
