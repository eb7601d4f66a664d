/// The rule that ties API field names to column names: snake_case without leading underscores
/// (`_updatedAt` -> `updated_at`, `assetKey` -> `asset_key`, `x_costCenter` -> `x_cost_center`); the source system's
/// own `createdAt`/`updatedAt`/`deletedAt` (no underscore) become `source_created_at`, ... so they do not collide
/// with Makini's standard fields.
public enum ColumnNaming {
    static let sourceTimeColumns: Set<String> = ["created_at", "updated_at", "deleted_at"]

    /// The column a record field fills.
    public static func column(forField field: String) -> String {
        let isStandard = field.hasPrefix("_")
        let snake = snakeCase(field)
        if !isStandard && sourceTimeColumns.contains(snake) { return "source_" + snake }
        return snake
    }

    /// snake_case of a camelCase or kebab-case name, leading underscores dropped.
    public static func snakeCase(_ name: String) -> String {
        let scalars = Array(name.unicodeScalars.drop(while: { $0 == "_" }))
        var result = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if scalar == "-" || scalar == " " || scalar == "." {
                result.append("_")
                continue
            }
            let isUpper = scalar.properties.isUppercase
            if isUpper && index > 0 {
                let previous = scalars[index - 1]
                let nextIsLower = index + 1 < scalars.count && scalars[index + 1].properties.isLowercase
                let previousIsLowerOrDigit = previous.properties.isLowercase || ("0"..."9").contains(previous)
                if (previousIsLowerOrDigit || (previous.properties.isUppercase && nextIsLower)) && previous != "_" {
                    result.append("_")
                }
            }
            for lowered in scalar.properties.lowercaseMapping.unicodeScalars { result.append(lowered) }
        }
        return String(result)
    }

    /// The table an entity syncs into by default: `work-orders` -> `work_orders`, `statuses/work-orders` -> `statuses_work_orders`.
    public static func defaultTable(forEntity entity: String) -> String {
        String(entity.map { $0 == "-" || $0 == "/" || $0 == "." ? "_" : $0 })
    }
}
