/// Source-system keys (`key`, and the `*Key` references) per platform.
extension RecordGenerator {
    /// The source system's key of record `index` of `entity`.
    func sourceKey(_ entity: SimulatedEntity, _ index: Int) -> String {
        switch platform {
        case .jdeWorld:
            switch entity {
            case .sites: return RecordGenerator.businessUnit(index)
            case .locations:
                let site = siteOfLocation(index).map { RecordGenerator.businessUnit($0).trimmingLeadingSpaces() } ?? "M00"
                return "\(site).\(String(format3: index + 1))"
            case .assets: return String(100_000 + index)
            case .workOrders: return String(10_000 + index)
            case .purchaseOrders: return String(40_000 + index)
            case .materials: return String(200_000 + index)
            default: return jdeCatalogueKey(entity, index)
            }
        case .ioffice:
            switch entity {
            case .sites: return "BLDG-\(String(format3: index + 1))"
            case .locations:
                let site = siteOfLocation(index).map { String(format3: $0 + 1) } ?? "000"
                return "BLDG-\(site)-F\((index / max(1, count(.sites))) % 20 + 1)-R\(String(format3: index + 1))"
            case .assets: return "AST-\(String(format6: index + 1))"
            case .workOrders: return "REQ-\(String(format6: index + 1))"
            case .purchaseOrders: return "PO-\(String(format6: index + 1))"
            case .materials: return "MAT-\(String(format6: index + 1))"
            default: return catalogueKey(entity, index)
            }
        case .maximo:
            switch entity {
            case .sites: return ["BEDFORD", "TEXAS", "NASHUA", "LAREDO", "OTTAWA"][index % 5] + (index >= 5 ? String(index) : "")
            case .locations: return "BR\(String(format3: index + 100))"
            case .assets: return String(11_000 + index)
            case .workOrders: return "WO\(1_000 + index)"
            case .purchaseOrders: return "PO\(String(format6: index + 1))"
            case .materials: return "ITEM-\(String(format6: index + 1))"
            default: return catalogueKey(entity, index)
            }
        }
    }

    /// A JD Edwards business unit: 12 characters, right-justified ("         M30").
    static func businessUnit(_ index: Int) -> String {
        let code = "M\(30 + index * 10)"
        return String(repeating: " ", count: max(0, 12 - code.count)) + code
    }

    /// Key of the site, location and asset a record refers to, consistent with each other.
    func assetReference(_ asset: Int) -> (asset: String, location: String?, site: String?) {
        let location = locationOfAsset(asset)
        let site = location.flatMap { siteOfLocation($0) }
        return (sourceKey(.assets, asset), location.map { sourceKey(.locations, $0) }, site.map { sourceKey(.sites, $0) })
    }
}

extension String {
    init(format3 value: Int) { self.init(zeroPadded: value, width: 3) }
    init(format6 value: Int) { self.init(zeroPadded: value, width: 6) }
    init(zeroPadded value: Int, width: Int) {
        let digits = String(value)
        self.init(String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits)
    }
}
