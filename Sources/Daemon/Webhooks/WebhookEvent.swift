import Foundation

/// One Makini webhook delivery, decoded from its JSON body.
///
/// The shape read (Makini does not publish one beyond "record inserted/updated"; aliases are accepted):
/// `{"id": "evt_…", "event": "record.updated", "connection_id": "…", "entity": "work-orders", "data": {"id": "…"}}`.
/// The kind comes from `event` or `type` (`record.inserted`, `work_order.updated`, `connection.reauthorization_required`,
/// `connection.sync_completed`, …); the connection from `connection_id`, `connectionId` or `connection` (a string or an
/// object with `id`); the entity from `entity`, `model` or `resource`, else from the kind's prefix
/// (`work_order.updated`), in any spelling (`WorkOrder`, `work_orders`, `work-orders`).
public struct WebhookEvent: Sendable, Equatable {
    /// What the event reports.
    public enum Kind: Sendable, Equatable {
        /// Records were inserted (`…inserted`, `…created`).
        case recordInserted
        /// Records were updated (`…updated`).
        case recordUpdated
        /// The connection needs a person to re-authorise it in Makini (`…reauth…`).
        case reauthorizationRequired
        /// Makini finished synchronising the connection from its source (`…sync…` + `completed|finished|done`).
        case syncCompleted
        /// Any other kind, by its name (acknowledged, ignored).
        case other(String)
    }

    /// The delivery's event id, when the payload has one (replays are recognised by it).
    public var id: String?
    public var kind: Kind
    public var connectionId: String
    /// The entity as job files name it (`work-orders`), when the event concerns records.
    public var entity: String?
    /// Ids of the records the event names, if any.
    public var recordIds: [String]

    public init(id: String?, kind: Kind, connectionId: String, entity: String?, recordIds: [String] = []) {
        self.id = id
        self.kind = kind
        self.connectionId = connectionId
        self.entity = entity
        self.recordIds = recordIds
    }
}

/// Why a webhook body could not be decoded into a `WebhookEvent`.
public enum WebhookEventError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not JSON at all.
    case notJSON
    /// JSON, but not an object.
    case notAnObject
    /// A required field is missing or not a string (`field` names the first alias looked for).
    case missingField(String)

    public var description: String {
        switch self {
        case .notJSON: "the body is not JSON"
        case .notAnObject: "the body is not a JSON object"
        case .missingField(let field): "the event has no \(field)"
        }
    }
}

extension WebhookEvent {
    /// Decodes a delivery body.
    public static func decode(_ body: some DataProtocol) throws(WebhookEventError) -> WebhookEvent {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(body), options: [])
        } catch {
            throw .notJSON
        }
        guard let object = value as? [String: Any] else { throw .notAnObject }
        guard let kindName = text(object, ["event", "type", "event_type", "eventType"]) else { throw .missingField("event") }
        let connection: String? =
            text(object, ["connection_id", "connectionId", "connection_key", "connectionKey"])
            ?? text(object, ["connection"])
            ?? (object["connection"] as? [String: Any]).flatMap { text($0, ["id", "key"]) }
        guard let connection else { throw .missingField("connection_id") }
        let kind = Self.kind(kindName)
        var entityName = text(object, ["entity", "model", "resource", "object", "entity_type", "entityType"])
        if entityName == nil, let dot = kindName.lastIndex(of: ".") {
            let prefix = String(kindName[..<dot])
            if !["record", "records", "connection", "integration", "sync"].contains(prefix.lowercased()) { entityName = prefix }
        }
        var ids: [String] = []
        for key in ["data", "record", "object"] {
            if let record = object[key] as? [String: Any], let id = identifier(record["id"]) { ids.append(id) }
            if let records = object[key] as? [Any] {
                ids += records.compactMap { ($0 as? [String: Any]).flatMap { identifier($0["id"]) } }
            }
        }
        if let id = identifier(object["record_id"] ?? object["recordId"]) { ids.append(id) }
        return WebhookEvent(
            id: text(object, ["id", "event_id", "eventId", "delivery_id"]), kind: kind, connectionId: connection,
            entity: entityName.map(canonicalEntity), recordIds: ids)
    }

    /// The kind named by `name`, in any of the spellings above.
    public static func kind(_ name: String) -> Kind {
        let lowered = name.lowercased()
        if lowered.contains("reauth") || lowered.contains("re_auth") || lowered.contains("re-auth") { return .reauthorizationRequired }
        if lowered.contains("sync"), ["complete", "finish", "done"].contains(where: lowered.contains) { return .syncCompleted }
        if lowered.hasSuffix("inserted") || lowered.hasSuffix("created") || lowered == "insert" || lowered == "create" { return .recordInserted }
        if lowered.hasSuffix("updated") || lowered == "update" { return .recordUpdated }
        return .other(name)
    }

    /// An entity name as job files spell it: `WorkOrder`, `work_order`, `workOrders` → `work-orders`.
    public static func canonicalEntity(_ name: String) -> String {
        var kebab = ""
        var previousLower = false
        for character in name {
            if character == "_" || character == " " {
                kebab.append("-")
                previousLower = false
            } else if character.isUppercase {
                if previousLower { kebab.append("-") }
                kebab += character.lowercased()
                previousLower = false
            } else {
                kebab.append(character)
                previousLower = character.isLowercase || character.isNumber
            }
        }
        if let plural = plurals[kebab] { return plural }
        return kebab
    }

    private static let plurals: [String: String] = [
        "site": "sites", "asset": "assets", "purchase-order": "purchase-orders", "work-order": "work-orders",
        "location": "locations", "service-request": "service-requests",
    ]

    private static func text(_ object: [String: Any], _ keys: [String]) -> String? {
        for key in keys {
            if let value = object[key] as? String, !value.isEmpty { return value }
        }
        return nil
    }

    private static func identifier(_ value: Any?) -> String? {
        if let text = value as? String, !text.isEmpty { return text }
        if let number = value as? NSNumber, !(value is Bool) { return number.stringValue }
        return nil
    }
}
