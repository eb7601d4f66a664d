import Foundation

/// The list endpoints of Makini's published EAM document and the schemas of their records, in document order.
public struct PublishedModel: Sendable {
    /// One property of a published schema, as published.
    public struct Property: Sendable, Equatable {
        public var name: String
        public var type: String?
        public var format: String?
        /// The schema a single nested object refers to (`$ref`).
        public var ref: String?
        /// The schema the elements of an array refer to (`items.$ref`).
        public var itemsRef: String?
        public var description: String?
        /// The value the schema's example gives the property.
        public var example: OrderedJSON?

        public init(
            name: String, type: String?, format: String?, ref: String?, itemsRef: String?, description: String?, example: OrderedJSON?
        ) {
            self.name = name
            self.type = type
            self.format = format
            self.ref = ref
            self.itemsRef = itemsRef
            self.description = description
            self.example = example
        }
    }

    /// One published schema (an object with properties).
    public struct Schema: Sendable, Equatable {
        public var name: String
        public var properties: [Property]

        public func property(_ name: String) -> Property? { properties.first { $0.name == name } }
    }

    /// One list endpoint: an entity a stream can sync.
    public struct Entity: Sendable, Equatable {
        /// The path after `/api/eam/` ("work-orders", "statuses/work-orders", "purchase-orders.line-items").
        public var name: String
        /// The schema of its records.
        public var schema: String
        /// What the document says the entity is (the list operation's description, else its summary).
        public var description: String
    }

    public var entities: [Entity]
    public var schemas: [String: Schema]

    /// The problem found in a document that does not have the expected shape.
    public struct ShapeError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads the document: every `GET /api/eam/{entity}` without path parameters whose answer is a list of records
    /// with a `key` (so not `work-orders/custom-fields`, a list of field names), with `SchemaCorrections` applied.
    public init(document: OrderedJSON, source: String) throws {
        guard let paths = document["paths"], case .object(let pathMembers) = paths else {
            throw ShapeError(description: "\(source): no \"paths\" object")
        }
        var schemas: [String: Schema] = [:]
        for (name, schema) in document["components"]?["schemas"]?.members ?? [] {
            let example = schema["example"]
            let properties = schema["properties"]?.members.map { member in
                Property(
                    name: member.key, type: member.value["type"]?.string, format: member.value["format"]?.string,
                    ref: member.value["$ref"]?.string.map(Self.refName), itemsRef: member.value["items"]?["$ref"]?.string.map(Self.refName),
                    description: member.value["description"]?.string, example: example?[member.key])
            }
            schemas[name] = Schema(name: name, properties: properties ?? [])
        }
        var entities: [Entity] = []
        let prefix = "/api/eam/"
        for (path, item) in pathMembers where path.hasPrefix(prefix) && !path.contains("{") {
            guard let get = item["get"] else { continue }
            let data = get["responses"]?["200"]?["content"]?["application/json"]?["schema"]?["properties"]?["data"]
            guard let reference = data?["items"]?["$ref"]?.string else { continue }
            let name = String(path.dropFirst(prefix.count))
            let schemaName = SchemaCorrections.itemSchema[name] ?? Self.refName(reference)
            guard let schema = schemas[schemaName] else {
                throw ShapeError(description: "\(source): \(path) lists \(schemaName), which components.schemas does not define")
            }
            guard schema.property("key") != nil else { continue }
            entities.append(Entity(name: name, schema: schemaName, description: Self.summary(of: get)))
        }
        guard !entities.isEmpty else { throw ShapeError(description: "\(source): no list endpoints under \(prefix)") }
        self.entities = entities
        self.schemas = schemas
    }

    static func refName(_ reference: String) -> String {
        String(reference.split(separator: "/").last ?? Substring(reference))
    }

    /// The first paragraph of the operation's description (before any `<details>`), else its summary.
    static func summary(of operation: OrderedJSON) -> String {
        let description = operation["description"]?.string ?? ""
        let head = description.components(separatedBy: "<details>").first ?? ""
        let text = head.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        if !text.isEmpty { return text }
        return (operation["summary"]?.string ?? "").trimmingCharacters(in: .whitespaces)
    }
}
