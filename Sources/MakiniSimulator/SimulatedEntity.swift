/// Entities the simulator serves: every list endpoint of Makini's published EAM document.
enum SimulatedEntity: String, CaseIterable, Sendable {
    case organizations, sites, locations, storerooms, accounts, teams, labors, users, uom, companies, vendors, customers, stocks
    case purchaseOrders = "purchase-orders"
    case purchaseOrderLineItems = "purchase-orders.line-items"
    case materials, assets
    case assetDowntime = "assets-downtime"
    case assetTemplates = "asset-templates"
    case meters
    case meterReadings = "meter-readings"
    case pm
    case workOrders = "work-orders"
    case workOrderMaterials = "work-orders/materials"
    case serviceRequests = "service-requests"
    case documents, inventories
    case workOrderStatuses = "statuses/work-orders"
    case purchaseOrderStatuses = "statuses/purchase-orders"
    case serviceRequestStatuses = "statuses/service-requests"
    case returnOrderStatuses = "statuses/return-orders"
    case returnOrders = "return-orders"

    /// The `_implements` value.
    var implements: String {
        switch self {
        case .organizations: return "Organization"
        case .sites: return "Site"
        case .locations: return "Location"
        case .storerooms: return "Storeroom"
        case .accounts: return "Account"
        case .teams: return "Team"
        case .labors: return "Labor"
        case .users: return "User"
        case .uom: return "UnitOfMeasure"
        case .companies: return "Company"
        case .vendors: return "Vendor"
        case .customers: return "Customer"
        case .stocks: return "Stock"
        case .purchaseOrders: return "PurchaseOrder"
        case .purchaseOrderLineItems: return "PurchaseOrderLineItem"
        case .materials: return "Material"
        case .assets: return "Asset"
        case .assetDowntime: return "AssetDowntime"
        case .assetTemplates: return "AssetTemplate"
        case .meters: return "Meter"
        case .meterReadings: return "MeterReading"
        case .pm: return "PreventiveMaintenance"
        case .workOrders: return "WorkOrder"
        case .workOrderMaterials: return "WorkOrderMaterial"
        case .serviceRequests: return "ServiceRequest"
        case .documents: return "Document"
        case .inventories: return "Inventory"
        case .returnOrders: return "ReturnOrder"
        case .workOrderStatuses, .purchaseOrderStatuses, .serviceRequestStatuses, .returnOrderStatuses: return "Status"
        }
    }

    /// The prefix of generated ids (distinct per entity).
    var idPrefix: String {
        switch self {
        case .organizations: return "org_"
        case .sites: return "site_"
        case .locations: return "loc_"
        case .storerooms: return "str_"
        case .accounts: return "acc_"
        case .teams: return "team_"
        case .labors: return "lab_"
        case .users: return "usr_"
        case .uom: return "uom_"
        case .companies: return "co_"
        case .vendors: return "ven_"
        case .customers: return "cus_"
        case .stocks: return "stk_"
        case .purchaseOrders: return "po_"
        case .purchaseOrderLineItems: return "pol_"
        case .materials: return "mat_"
        case .assets: return "ast_"
        case .assetDowntime: return "adt_"
        case .assetTemplates: return "atp_"
        case .meters: return "mtr_"
        case .meterReadings: return "mrd_"
        case .pm: return "pm_"
        case .workOrders: return "wo_"
        case .workOrderMaterials: return "wom_"
        case .serviceRequests: return "sr_"
        case .documents: return "doc_"
        case .inventories: return "inv_"
        case .returnOrders: return "ro_"
        case .workOrderStatuses: return "wost_"
        case .purchaseOrderStatuses: return "post_"
        case .serviceRequestStatuses: return "srst_"
        case .returnOrderStatuses: return "rost_"
        }
    }

    /// Date fields besides the standard ones (filterable with gt/gteq/lt/lteq).
    var dateFields: Set<String> {
        let standard: Set<String> = ["_createdAt", "_updatedAt", "_deletedAt"]
        switch self {
        case .assets: return standard.union(["activatedAt", "deactivatedAt"])
        case .workOrders: return standard.union(["approvedAt", "dueAt", "scheduledAt", "completedAt"])
        case .purchaseOrders: return standard.union(["dueAt", "approvedAt", "completedAt", "shipmentDate"])
        case .purchaseOrderLineItems: return standard.union(["dueAt", "deliveryAt"])
        case .accounts: return standard.union(["activatedAt", "expiresAt"])
        case .stocks: return standard.union(["expiresAt"])
        case .assetDowntime: return standard.union(["startedAt", "endedAt"])
        case .meters: return standard.union(["lastReadingAt"])
        case .pm, .workOrderMaterials: return standard.union(["dueAt"])
        case .serviceRequests: return standard.union(["approvedAt", "dueAt"])
        case .returnOrders: return standard.union(["orderDate", "dueAt", "approvedAt", "completedAt"])
        default: return standard
        }
    }

    /// Whether records only ever get added (meter readings carry a creation time only): no updates, no soft deletes,
    /// `_updatedAt` always equals `_createdAt`.
    var isAppendOnly: Bool { self == .meterReadings }

    /// The legacy (`/api/eam`) time fields of the entity's published schema. UnitOfMeasure publishes none; it gets
    /// `updatedAt` anyway, because a list a client pages through by time needs one.
    var legacyTimeFields: (created: Bool, updated: Bool, deleted: Bool) {
        switch self {
        case .purchaseOrders: return (false, true, false)
        case .purchaseOrderLineItems, .assetDowntime, .documents, .inventories, .returnOrders: return (true, true, false)
        case .meterReadings: return (true, false, false)
        case .uom: return (false, true, false)
        default: return (true, true, true)
        }
    }

    /// The statuses a status list serves: (status word, JD Edwards code, iOffice key).
    var statusVocabulary: [PlatformVocabulary.Status] {
        switch self {
        case .workOrderStatuses: return PlatformVocabulary.workOrderStatusList
        case .purchaseOrderStatuses: return PlatformVocabulary.purchaseOrderStatusList
        case .serviceRequestStatuses: return PlatformVocabulary.serviceRequestStatusList
        case .returnOrderStatuses: return PlatformVocabulary.returnOrderStatusList
        default: return []
        }
    }
}
