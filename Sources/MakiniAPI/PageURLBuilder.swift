import Foundation
import MakiniRecords

/// Pure: configuration + page request -> the list URL with paging, filter and sort parameters.
struct PageURLBuilder: Sendable {
    var configuration: MakiniClientConfiguration

    func url(for request: PageRequest) -> String {
        let base = configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
        let entity = Self.percentEncode(request.entity)
        let path: String
        switch configuration.apiVersion {
        case .v4: path = "/v4/\(entity)"
        case .v3: path = "/api/eam/\(entity)"
        }
        var query: [(String, String)] = [("page", String(request.page)), ("per_page", String(request.perPage))]
        if let since = request.updatedSince {
            query.append((filterName("gteq"), MakiniTimestamp.format(since)))
        }
        if let through = request.updatedThrough {
            let micros = Int64((through.timeIntervalSince1970 * 1_000_000).rounded())
            query.append((filterName("lteq"), MakiniTimestamp.format(micros: micros, microsecondDigits: true)))
        }
        for field in [configuration.updatedAtField, "id"] {
            query.append((configuration.sortParameterTemplate.replacingOccurrences(of: "{field}", with: field), "0"))
        }
        let queryText = query.map { "\(Self.percentEncode($0.0))=\(Self.percentEncode($0.1))" }.joined(separator: "&")
        return "\(base)\(path)?\(queryText)"
    }

    private func filterName(_ op: String) -> String {
        configuration.filterParameterTemplate
            .replacingOccurrences(of: "{field}", with: configuration.updatedAtField)
            .replacingOccurrences(of: "{op}", with: op)
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters and ':'.
    static func percentEncode(_ text: String) -> String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"):
                bytes.append(byte)
            default:
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
