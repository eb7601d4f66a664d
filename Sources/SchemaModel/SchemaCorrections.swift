/// Where the published EAM document is vaguer than its data, and what the generator does instead. Every entry
/// names its reason; everything else follows the document as published.
public enum SchemaCorrections {
    /// Item schemas of list endpoints that the document gets wrong.
    /// `/api/eam/work-orders/materials` ("List WorkOrder Materials") is published as a list of `WorkOrder`; its records
    /// are a work order's material lines, which the document describes as `MaterialItem` (with `workOrderKey`).
    public static let itemSchema: [String: String] = ["work-orders/materials": "MaterialItem"]

    /// Fields that carry quantities, durations, money or coordinates, though the document publishes nearly every
    /// scalar as `"type": "string"` (or a bare `"object"`): stored as `numeric`. A value that is not a number stays in
    /// `raw` and leaves the column NULL.
    public static let numericFields: Set<String> = [
        "estimatedTime", "actualTime", "registeredTime", "materialCount",
        "quantity", "receivedQuantity", "requiredQuantity", "reorderQuantity", "reorderPoint", "reorderLevel",
        "minLevel", "maxLevel", "minimumQuantity", "minQuantity", "maxQuantity", "uomQuantity",
        "price", "discount", "cost", "unitCost", "rate", "reading", "lastReading",
        "lineTaxValue", "lineTotalValue", "totalNetValue", "totalTaxValue", "totalGrossValue",
        "lat", "lng",
    ]

    /// Whether a field name names a point in time: `…At` (`createdAt`, `dueAt`) or `…Date` (`orderDate`).
    public static func isTimeName(_ name: String) -> Bool {
        name.hasSuffix("At") || name.hasSuffix("Date")
    }

    /// Whether a field name names a reference to another record (`assetKey`), whatever type is published for it.
    public static func isKeyName(_ name: String) -> Bool {
        name == "key" || name.hasSuffix("Key")
    }
}
