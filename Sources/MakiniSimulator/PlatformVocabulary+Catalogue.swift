/// Words of the entities beyond sites, locations, assets, work orders, purchase orders and materials; status lists.
extension PlatformVocabulary {
    /// One status of a status list: the word, the JD Edwards World code, the iOffice key.
    struct Status: Sendable {
        let word: String
        let jdeCode: String
        let iofficeKey: String
    }

    static let workOrderStatusList = [
        Status(word: "open", jdeCode: "10", iofficeKey: "OPEN"), Status(word: "in progress", jdeCode: "40", iofficeKey: "IN PROGRESS"),
        Status(word: "on hold", jdeCode: "45", iofficeKey: "ON HOLD"), Status(word: "completed", jdeCode: "90", iofficeKey: "COMPLETED"),
        Status(word: "cancelled", jdeCode: "99", iofficeKey: "CANCELLED"),
    ]
    /// For each entry of `workOrderStatuses`, its position in `workOrderStatusList`.
    static let workOrderStatusIndex = [0, 0, 1, 2, 3, 3, 4]
    static let purchaseOrderStatusList = [
        Status(word: "open", jdeCode: "220", iofficeKey: "OPEN"), Status(word: "approved", jdeCode: "400", iofficeKey: "APPROVED"),
        Status(word: "received", jdeCode: "980", iofficeKey: "RECEIVED"), Status(word: "closed", jdeCode: "999", iofficeKey: "CLOSED"),
    ]
    static let serviceRequestStatusList = [
        Status(word: "new", jdeCode: "01", iofficeKey: "NEW"), Status(word: "approved", jdeCode: "02", iofficeKey: "APPROVED"),
        Status(word: "converted", jdeCode: "03", iofficeKey: "CONVERTED"), Status(word: "rejected", jdeCode: "09", iofficeKey: "REJECTED"),
    ]
    static let returnOrderStatusList = [
        Status(word: "open", jdeCode: "220", iofficeKey: "OPEN"), Status(word: "shipped", jdeCode: "560", iofficeKey: "SHIPPED"),
        Status(word: "credited", jdeCode: "980", iofficeKey: "CREDITED"), Status(word: "closed", jdeCode: "999", iofficeKey: "CLOSED"),
    ]

    /// Units of measure: (JD Edwards code, iOffice key, name).
    static let units: [(jde: String, ioffice: String, name: String)] = [
        ("EA", "each", "Each"), ("HR", "hour", "Hour"), ("KG", "kg", "Kilogram"), ("LT", "liter", "Liter"), ("MT", "meter", "Meter"),
        ("PC", "piece", "Piece"), ("BX", "box", "Box"), ("GA", "gallon", "Gallon"), ("KW", "kwh", "Kilowatt hour"), ("CY", "cycle", "Cycle"),
        ("KM", "km", "Kilometre"), ("M2", "sqm", "Square metre"),
    ]
    /// Index of the hour unit in `units` (labour cost unit, run-hour meters).
    static let hourUnit = 1

    static let firstNames = ["Anna", "Jürgen", "María", "Wei", "Lars", "Fatima", "John", "Søren", "Chloé", "Ahmed"]
    static let lastNames = ["Müller", "García", "Chen", "Andersson", "Smith", "Okafor", "Nguyen", "Kowalski", "Dubois", "Yılmaz"]
    static let downtimeCategories = ["Breakdown", "Planned", "Changeover", "Störung", "Waiting for parts"]
    static let tasks = ["Isolate and lock out", "Inspect", "Replace worn parts", "Lubricate", "Test run", "Reinigen", "Document findings"]
    static let terms = ["Net 30", "Net 60", "2/10 Net 30", "Zahlbar sofort"]
    static let shippingMethods = ["Ground", "Air", "Spedition", "Pickup"]
    static let documentTypes: [(type: String, contentType: String, suffix: String)] = [
        ("Manual", "application/pdf", "pdf"), ("Photo", "image/jpeg", "jpg"), ("Drawing", "image/vnd.dwg", "dwg"), ("Certificate", "application/pdf", "pdf"),
    ]

    static func catalogueNames(platform: SimulatedPlatform, entity: SimulatedEntity) -> [String] {
        let office = platform == .ioffice
        switch entity {
        case .organizations: return office ? ["Acme Workplace Inc.", "Acme Facilities GmbH"] : ["Acme Manufacturing", "Acme Fertigung GmbH", "Acme México"]
        case .storerooms: return office ? ["Facilities Closet", "Janitorial Store", "IT Storage"] : ["Main Store", "Ersatzteillager", "Tool Crib", "Chemicals Store"]
        case .accounts: return ["Maintenance labour", "Spare parts", "Fixed assets", "Contract services", "Utilities"]
        case .teams: return office ? ["Facilities Team", "Janitorial", "IT Support", "Security"] : ["Mechanical Crew", "Elektrik", "Instrumentation", "Night Shift"]
        case .companies: return ["Müller & Söhne", "Grundfos", "Siemens", "ABB", "Atlas Copco", "苏州机械有限公司", "Carrier"]
        case .vendors: return ["Müller & Söhne", "Industrial Supply Co.", "Würth", "Fastenal", "Grainger", "苏州机械"]
        case .customers: return ["Stadtwerke Dortmund", "Houston Refining", "Nordic Paper AB", "Interior Tenant LLC"]
        case .assetTemplates: return office ? ["HVAC rooftop unit", "Elevator", "Projector", "Badge reader"] : ["Centrifugal pump", "Hydraulic press", "Air compressor", "Conveyor"]
        case .meters: return ["Run hours", "Betriebsstunden", "Cycle count", "Energy kWh", "Odometer"]
        case .pm: return office ? ["Monthly HVAC filter change", "Quarterly fire alarm test", "Annual elevator inspection"] : ["Monthly pump inspection", "Quarterly lubrication", "Jährliche Prüfung", "500 h service"]
        case .serviceRequests: return office ? ["Light out in room", "Too cold", "Spill in kitchen", "Desk move", "投影仪 not working"] : ["Leak at pump", "Noise in gearbox", "Störung Förderband", "Safety guard loose"]
        case .documents: return ["Operating manual", "Photo of damage", "Wiring diagram", "Prüfbericht", "Certificate"]
        case .returnOrders: return ["Return damaged parts", "Rücksendung Fehllieferung", "Return surplus"]
        case .stocks, .inventories, .purchaseOrderLineItems, .workOrderMaterials: return ["Bearing 6204-2RS", "Hydrauliköl HLP 46", "V-Belt A42", "Filter cartridge", "Gasket DN50", "密封圈 O-ring"]
        case .assetDowntime: return ["Pump seal failure", "Planned shutdown", "Motor overheated", "Stillstand Förderband"]
        case .meterReadings: return ["Reading"]
        case .labors, .users: return firstNames
        case .uom: return units.map(\.name)
        default: return entity.statusVocabulary.isEmpty ? ["Item"] : entity.statusVocabulary.map(\.word)
        }
    }
}
