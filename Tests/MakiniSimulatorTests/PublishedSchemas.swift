import Foundation
import MakiniRecords

/// Makini's published EAM OpenAPI document (`../shared/reference/openapi/makini-eam.json` beside the checkout), read
/// independently of the simulator: the list endpoints and the properties of the schema each one serves.
struct PublishedSchemas {
    struct Property {
        var type: String?
        /// The schema of a nested object, or of an array's items.
        var nested: String?
    }

    let schemas: [String: [String: Property]]
    /// List endpoint (`work-orders`, `statuses/work-orders`) -> schema of its items.
    let entities: [String: String]

    static let documentPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/reference/openapi/makini-eam.json").path

    /// The v4 standard fields of every record.
    static let standardFields: Set<String> = ["id", "_idValue", "_displayValue", "_createdAt", "_updatedAt", "_deletedAt", "_implements"]

    /// Endpoints of the document that list metadata rather than records (not an entity of the model).
    static let notEntities: Set<String> = ["work-orders/custom-fields"]

    static func load() throws -> PublishedSchemas {
        let document = try JSONValue.parse(String(contentsOfFile: documentPath, encoding: .utf8))
        var schemas: [String: [String: Property]] = [:]
        for (name, schema) in document["components"]?["schemas"]?.objectValue ?? [:] {
            var properties: [String: Property] = [:]
            for (field, property) in schema["properties"]?.objectValue ?? [:] {
                let reference = property["$ref"]?.stringValue ?? property["items"]?["$ref"]?.stringValue
                properties[field] = Property(
                    type: property["type"]?.stringValue, nested: reference.map { String($0.split(separator: "/").last ?? "") })
            }
            schemas[name] = properties
        }
        var entities: [String: String] = [:]
        for (path, operations) in document["paths"]?.objectValue ?? [:] where path.hasPrefix("/api/eam/") && !path.contains("{") {
            let entity = String(path.dropFirst("/api/eam/".count))
            guard !notEntities.contains(entity),
                  let items = operations["get"]?["responses"]?["200"]?["content"]?["application/json"]?["schema"]?["properties"]?["data"]?["items"]?["$ref"]?.stringValue
            else { continue }
            entities[entity] = String(items.split(separator: "/").last ?? "")
        }
        return PublishedSchemas(schemas: schemas, entities: entities)
    }

    /// Problems of one record against its schema: unpublished fields (custom `x_` fields and `allowed` aside) and values
    /// whose JSON type does not fit the published type, nested objects included.
    func problems(_ record: [String: JSONValue], schema: String, allowed: Set<String>, path: String = "") -> [String] {
        guard let properties = schemas[schema] else { return ["\(path)unknown schema \(schema)"] }
        var found: [String] = []
        for (field, value) in record {
            if allowed.contains(field) || (path.isEmpty && field.hasPrefix("x_")) { continue }
            guard let property = properties[field] else {
                found.append("\(path)\(field) is not a property of \(schema)")
                continue
            }
            found += typeProblems(value, property, at: "\(path)\(field)")
        }
        return found
    }

    private func typeProblems(_ value: JSONValue, _ property: Property, at path: String) -> [String] {
        switch value {
        case .null: return []
        case .string where property.type == "string" || (property.type == nil && property.nested == nil) || property.type == "object" && property.nested == nil:
            return []
        case .bool where property.type == "boolean": return []
        case .number where ["integer", "number"].contains(property.type) || property.type == "object" && property.nested == nil: return []
        case .object(let members) where property.nested != nil && property.type != "array":
            return problems(members, schema: property.nested ?? "", allowed: [], path: path + ".")
        case .array(let elements) where property.type == "array":
            return elements.enumerated().flatMap { offset, element -> [String] in
                if let nested = property.nested {
                    guard let members = element.objectValue else { return ["\(path)[\(offset)] is not an object"] }
                    return problems(members, schema: nested, allowed: [], path: "\(path)[\(offset)].")
                }
                return element.stringValue == nil ? ["\(path)[\(offset)] is not a string"] : []
            }
        default:
            return ["\(path) has a value that does not fit its published type \(property.type ?? property.nested ?? "?")"]
        }
    }
}
