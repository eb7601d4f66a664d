import MakiniRecords

/// Pure: the body of `GET /api/system/connections` -> statuses (a bare array or `{"data": [...]}`).
enum ConnectionStatusDecoder {
    static func decode(_ body: [UInt8]) throws(PageDecodingFailure) -> [RemoteConnectionStatus] {
        let document: JSONValue
        do {
            document = try JSONValue.parse(body)
        } catch {
            throw .malformedJSON(error)
        }
        guard let items = document.arrayValue ?? document["data"]?.arrayValue else {
            throw .unexpectedShape("the connections body is neither an array nor {\"data\": [...]}")
        }
        return items.compactMap { item in
            guard let key = item["key"]?.stringValue ?? item["id"]?.stringValue ?? item["id"]?.numberText else { return nil }
            return RemoteConnectionStatus(
                key: key, name: item["name"]?.stringValue, status: item["status"]?.stringValue,
                integrationName: item["integration_name"]?.stringValue ?? item["integrationName"]?.stringValue
            )
        }
    }
}
