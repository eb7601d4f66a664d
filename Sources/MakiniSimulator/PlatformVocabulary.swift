/// Words the generated records are made of, per platform: realistic, with non-ASCII text.
enum PlatformVocabulary {
    static func names(platform: SimulatedPlatform, entity: SimulatedEntity) -> [String] {
        switch (platform, entity) {
        case (.ioffice, .sites): return ["HQ Tower A", "Edificio Central", "总部大楼", "Münchner Büro", "Riverside Campus"]
        case (_, .sites): return ["Plant Dortmund", "Werk Süd", "Monterrey Plant", "站点 Suzhou", "Gävle Mill", "Houston Works"]
        case (.ioffice, .locations): return ["Floor", "Room", "Conference Room", "Kitchen", "Lobby", "Server Room", "Besprechungsraum"]
        case (_, .locations): return ["Line", "Bay", "Warehouse", "Kesselhaus", "Tank Farm", "Workshop", "Lager Nord"]
        case (.ioffice, .assets): return ["Conference Display", "HVAC Unit", "Badge Reader", "Elevator", "Kühlschrank Küche", "Projector", "Desk Sensor"]
        case (_, .assets): return ["Kühlmittelpumpe", "Hydraulic Press", "Conveyor Belt", "Air Compressor", "CNC Lathe", "Forklift", "Boiler", "冷却塔", "Welding Robot", "Überlastschalter"]
        case (.ioffice, .workOrders): return ["Light out in room", "Temperature too hot", "Clean spill", "Replace ceiling tile", "Überprüfung Brandmelder", "Move desk", "投影仪 not working"]
        case (_, .workOrders): return ["Überprüfung Kühlmittelpumpe", "Replace bearing", "Preventive maintenance", "Lubricate conveyor", "Inspect safety valve", "站点 inspection", "Calibrate sensor", "Repair hydraulic leak"]
        case (_, .purchaseOrders): return ["Spare parts", "Lubricants", "Ersatzteile Pumpe", "Safety equipment", "Filters"]
        case (_, .materials): return ["Bearing 6204-2RS", "Hydrauliköl HLP 46", "V-Belt A42", "Filter cartridge", "Gasket DN50", "密封圈 O-ring"]
        default: return catalogueNames(platform: platform, entity: entity)
        }
    }

    static let workOrderStatuses: [(status: String, jdeCode: String)] = [
        ("open", "10"), ("open", "10"), ("in progress", "40"), ("on hold", "45"), ("completed", "90"), ("completed", "90"), ("cancelled", "99"),
    ]
    static let severities = ["low", "medium", "high", "critical"]
    static let assetCategories = ["PUMP", "PRESS", "CONVEYOR", "ELECTRICAL", "COMPRESSOR", "MACHINE", "VEHICLE", "HVAC"]
    static let workOrderCategories = ["Preventive", "Corrective", "Inspection", "Emergency", "Störung"]
    static let makes = ["Grundfos", "Siemens", "ABB", "Atlas Copco", "Caterpillar", "Mazak", "Carrier"]
    static let roles = ["Mechanic", "Electrician", "Technician", "Facilities"]
    static let notes = ["Teil bestellt, Lieferung nächste Woche.", "Checked by night shift.", "需要更换零件", "Waiting for vendor \"Müller & Söhne\".", "Line\nbreak in note"]
    static let cities: [(city: String, country: String, postCode: String)] = [
        ("Dortmund", "DE", "44135"), ("München", "DE", "80331"), ("Monterrey", "MX", "64000"), ("苏州", "CN", "215000"), ("Gävle", "SE", "80320"), ("Houston", "US", "77002"),
    ]
}
