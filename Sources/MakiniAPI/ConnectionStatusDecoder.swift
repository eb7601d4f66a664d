import MakiniRecords

/// Pure: the body of `GET /api/system/connections` -> statuses (a bare array or `{"data": [...], "meta", "links"}`).
enum ConnectionStatusDecoder {
    static func decode(_ body: [UInt8]) throws(PageDecodingFailure) -> [RemoteConnectionStatus] {
        try decodePage(body, page: 1).connections
    }

    /// The connections of page `page` and whether `meta.last_page` or `links.next` announces another.
    static func decodePage(_ body: [UInt8], page: Int) throws(PageDecodingFailure) -> SystemConnectionPage {
        let document: JSONValue
        do {
            document = try JSONValue.parse(body)
        } catch {
            throw .malformedJSON(error)
        }
        guard let items = document.arrayValue ?? document["data"]?.arrayValue else {
            throw .unexpectedShape("the connections body is neither an array nor {\"data\": [...]}")
        }
        let connections = items.compactMap { item -> RemoteConnectionStatus? in
            guard let key = item["key"]?.stringValue ?? item["id"]?.stringValue ?? item["id"]?.numberText else { return nil }
            return RemoteConnectionStatus(
                key: key, name: item["name"]?.stringValue, status: item["status"]?.stringValue,
                integrationName: item["integration_name"]?.stringValue ?? item["integrationName"]?.stringValue,
                platform: item["platform"]?.stringValue ?? item["provider"]?.stringValue,
                metadata: metadata(item["user_metadata"]))
        }
        var hasNext = false
        if let lastPage = document["meta"]?["last_page"]?.numberText.flatMap(Double.init) {
            hasNext = Double(page) < lastPage && !items.isEmpty
        } else if let next = document["links"]?["next"]?.stringValue {
            hasNext = !next.isEmpty && !items.isEmpty
        }
        return SystemConnectionPage(connections: connections, hasNextPage: hasNext)
    }

    /// `user_metadata` as text pairs: an object of scalars, or a string holding one; nil otherwise.
    static func metadata(_ value: JSONValue?) -> [String: String]? {
        guard let value else { return nil }
        var object = value.objectValue
        if object == nil, let text = value.stringValue, let parsed = try? JSONValue.parse(Array(text.utf8)) {
            object = parsed.objectValue
        }
        guard let object else { return nil }
        var pairs: [String: String] = [:]
        for (key, item) in object {
            if let text = item.stringValue ?? item.numberText {
                pairs[key] = text
            } else if case .bool(let flag) = item {
                pairs[key] = flag ? "true" : "false"
            }
        }
        return pairs
    }
}
