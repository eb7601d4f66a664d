/// The unified-model entities a stream may name without `allow_unknown_entity: true`: the list endpoints of
/// Makini's published EAM OpenAPI document (served under `/v4/{entity}` and `/api/eam/{entity}`).
public enum KnownEntities {
    /// Every known entity, in the order of the published document.
    public static let all: [String] = [
        "organizations", "sites", "locations", "storerooms", "accounts", "teams", "labors", "users", "uom",
        "companies", "vendors", "customers", "stocks", "purchase-orders", "purchase-orders.line-items", "materials",
        "assets", "assets-downtime", "asset-templates", "meters", "meter-readings", "pm", "work-orders",
        "work-orders/materials", "service-requests", "documents", "inventories", "statuses/work-orders",
        "statuses/purchase-orders", "statuses/service-requests", "statuses/return-orders", "return-orders",
    ]

    /// Whether `entity` is one of `all`.
    public static func contains(_ entity: String) -> Bool {
        allSet.contains(entity)
    }

    private static let allSet = Set(all)
}
