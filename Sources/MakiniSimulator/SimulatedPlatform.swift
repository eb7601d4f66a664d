/// Entities the simulator serves.
enum SimulatedEntity: String, CaseIterable, Sendable {
    case sites, locations, assets
    case workOrders = "work-orders"
    case purchaseOrders = "purchase-orders"
    case materials

    /// The `_implements` value and the prefix of generated ids.
    var implements: String {
        switch self {
        case .sites: return "Site"
        case .locations: return "Location"
        case .assets: return "Asset"
        case .workOrders: return "WorkOrder"
        case .purchaseOrders: return "PurchaseOrder"
        case .materials: return "Material"
        }
    }

    var idPrefix: String {
        switch self {
        case .sites: return "site_"
        case .locations: return "loc_"
        case .assets: return "ast_"
        case .workOrders: return "wo_"
        case .purchaseOrders: return "po_"
        case .materials: return "mat_"
        }
    }

    /// Date fields besides the standard ones (filterable with gt/gteq/lt/lteq).
    var dateFields: Set<String> {
        let standard: Set<String> = ["_createdAt", "_updatedAt", "_deletedAt"]
        switch self {
        case .sites, .locations: return standard
        case .assets: return standard.union(["activatedAt", "deactivatedAt"])
        case .workOrders: return standard.union(["approvedAt", "dueAt", "scheduledAt", "completedAt"])
        case .purchaseOrders: return standard.union(["dueAt", "approvedAt", "completedAt", "shipmentDate"])
        case .materials: return standard
        }
    }
}

/// Source platforms, each with its own flavour of data and the entities it offers.
enum SimulatedPlatform: String, Sendable {
    case jdeWorld = "jde-world"
    case ioffice
    case maximo

    /// Entities this platform offers; others answer 404 NOT_FOUND.
    var entities: Set<SimulatedEntity> {
        switch self {
        case .jdeWorld, .maximo: return Set(SimulatedEntity.allCases)
        case .ioffice: return [.sites, .locations, .assets, .workOrders]
        }
    }

    /// The `integration_name` shown by `GET /api/system/connections`.
    var integrationName: String {
        switch self {
        case .jdeWorld: return "JD Edwards World"
        case .ioffice: return "iOffice"
        case .maximo: return "IBM Maximo"
        }
    }
}
