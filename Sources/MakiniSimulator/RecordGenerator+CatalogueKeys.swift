/// Source keys of the entities beyond the first six: JD Edwards World numbers and padded business units; prefixed
/// keys elsewhere (iOffice's facility requests, rooms and files).
extension RecordGenerator {
    /// A JD Edwards World key: numeric document and address-book numbers, 12-character business units.
    func jdeCatalogueKey(_ entity: SimulatedEntity, _ index: Int) -> String {
        switch entity {
        case .organizations: return String(zeroPadded: index + 1, width: 5)
        case .storerooms: return RecordGenerator.padded(businessUnit: "W\(30 + index * 10)")
        case .accounts: return jdeAccount(index)
        case .teams: return "CREW\(String(format3: index + 1))"
        case .labors: return String(6_000 + index)
        case .users: return "JDE\(String(zeroPadded: index + 1, width: 4))"
        case .uom: return index < PlatformVocabulary.units.count ? PlatformVocabulary.units[index].jde : "U\(index)"
        case .companies: return String(7_000 + index)
        case .vendors: return String(5_000 + index)
        case .customers: return String(8_000 + index)
        case .stocks: return String(500_000 + index)
        case .purchaseOrderLineItems:
            let (order, line) = parentAndLine(index, parent: .purchaseOrders)
            return "\(40_000 + order)-\(line).000"
        case .assetDowntime: return String(900_000 + index)
        case .assetTemplates: return "TPL\(String(zeroPadded: index + 1, width: 4))"
        case .meters: return String(300_000 + index)
        case .meterReadings: return String(3_000_000 + index)
        case .pm: return String(60_000 + index)
        case .workOrderMaterials:
            let (order, line) = parentAndLine(index, parent: .workOrders)
            return "\(10_000 + order)-\(line)"
        case .serviceRequests: return String(70_000 + index)
        case .documents: return String(80_000 + index)
        case .inventories: return String(600_000 + index)
        case .returnOrders: return String(45_000 + index)
        case .workOrderStatuses, .purchaseOrderStatuses, .serviceRequestStatuses, .returnOrderStatuses:
            let list = entity.statusVocabulary
            return index < list.count ? list[index].jdeCode : "S\(index)"
        case .sites, .locations, .assets, .workOrders, .purchaseOrders, .materials: return sourceKey(entity, index)
        }
    }

    /// A prefixed key ("SR-000001"), as iOffice and most other platforms name their records.
    func catalogueKey(_ entity: SimulatedEntity, _ index: Int) -> String {
        let number = String(format6: index + 1)
        switch entity {
        case .organizations: return "ORG-\(index + 1)"
        case .storerooms: return "STR-\(String(format3: index + 1))"
        case .accounts: return "ACCT-\(String(zeroPadded: 6_100 + index, width: 5))"
        case .teams: return "TEAM-\(String(format3: index + 1))"
        case .labors: return "LAB-\(number)"
        case .users: return "USR-\(number)"
        case .uom: return index < PlatformVocabulary.units.count ? PlatformVocabulary.units[index].ioffice : "unit-\(index)"
        case .companies: return "CO-\(number)"
        case .vendors: return "VEN-\(number)"
        case .customers: return "CUS-\(number)"
        case .stocks: return "STK-\(number)"
        case .purchaseOrderLineItems:
            let (order, line) = parentAndLine(index, parent: .purchaseOrders)
            return "\(sourceKey(.purchaseOrders, order))-L\(line)"
        case .assetDowntime: return "DT-\(number)"
        case .assetTemplates: return "TPL-\(number)"
        case .meters: return "MTR-\(number)"
        case .meterReadings: return "RDG-\(String(zeroPadded: index + 1, width: 8))"
        case .pm: return "PM-\(number)"
        case .workOrderMaterials:
            let (order, line) = parentAndLine(index, parent: .workOrders)
            return "\(sourceKey(.workOrders, order))-M\(line)"
        case .serviceRequests: return "SR-\(number)"
        case .documents: return "FILE-\(number)"
        case .inventories: return "INV-\(number)"
        case .returnOrders: return "RO-\(number)"
        case .workOrderStatuses, .purchaseOrderStatuses, .serviceRequestStatuses, .returnOrderStatuses:
            let list = entity.statusVocabulary
            return index < list.count ? list[index].iofficeKey : "STATUS-\(index)"
        case .sites, .locations, .assets, .workOrders, .purchaseOrders, .materials: return sourceKey(entity, index)
        }
    }

    /// A JD Edwards account "business unit.object" ("M30.4310"): one per site and object account, then subsidiaries.
    func jdeAccount(_ index: Int) -> String {
        let objects = ["4310", "4320", "1340", "5110", "6100"]
        let sites = max(1, count(.sites))
        let site = RecordGenerator.businessUnit(index % sites).trimmingLeadingSpaces()
        let object = objects[(index / sites) % objects.count]
        return index < sites * objects.count ? "\(site).\(object)" : "\(site).\(object).\(index)"
    }

    /// A 12-character right-justified business unit.
    static func padded(businessUnit code: String) -> String {
        String(repeating: " ", count: max(0, 12 - code.count)) + code
    }

    /// The parent record and 1-based line number of child record `index` (lines of parent p are p, p + n, p + 2n, ...).
    func parentAndLine(_ index: Int, parent: SimulatedEntity) -> (parent: Int, line: Int) {
        let parents = count(parent)
        guard parents > 0 else { return (index, 1) }
        return (index % parents, index / parents + 1)
    }

    /// How many child records of `child` belong to parent record `parent`.
    func childCount(of parent: Int, child: SimulatedEntity, parentEntity: SimulatedEntity) -> Int {
        let parents = count(parentEntity), children = count(child)
        guard parents > 0, parent < children else { return 0 }
        return (children - parent + parents - 1) / parents
    }

    /// The index of a record of `entity` chosen by `draw`, nil when the connection has none.
    func referenceIndex(_ entity: SimulatedEntity, _ draw: UInt64) -> Int? {
        let records = count(entity)
        return records > 0 ? Int(draw % UInt64(records)) : nil
    }

    /// The key of a record of `entity` chosen by `draw`, nil when the connection has none.
    func reference(_ entity: SimulatedEntity, _ draw: UInt64) -> String? {
        referenceIndex(entity, draw).map { sourceKey(entity, $0) }
    }

    /// The key of record `index` of `entity` when it exists among the base records, else nil.
    func existingKey(_ entity: SimulatedEntity, _ index: Int?) -> String? {
        guard let index, index >= 0, index < count(entity) else { return nil }
        return sourceKey(entity, index)
    }

    /// The key of status `status` of a status list when the connection serves it.
    func statusKey(_ list: SimulatedEntity, _ status: Int) -> String? {
        existingKey(list, status)
    }
}
