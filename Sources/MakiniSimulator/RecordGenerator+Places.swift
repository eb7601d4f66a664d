/// Site, location, purchase-order and material fields.
extension RecordGenerator {
    func emitSite<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 7)
        let place = PlatformVocabulary.cities[state.index % PlatformVocabulary.cities.count]
        sink.field("key", string: key)
        sink.field("organizationKey", string: platform == .jdeWorld ? "00001" : "ORG-1")
        sink.field("name", string: stableName(state.index))
        sink.field("code", string: key.trimmingLeadingSpaces())
        sink.field("description", string: stable.next() % 3 == 0 ? nil : "Standort \(place.city)")
        sink.field("lat", string: String(Double(Int(stable.next() % 180_000)) / 1000 - 90))
        sink.field("lng", string: String(Double(Int(stable.next() % 360_000)) / 1000 - 180))
        sink.beginObjectField("address")
        sink.field("country", string: place.country)
        sink.field("addressLines", string: "\(stable.next() % 200 + 1) Industriestraße")
        sink.field("city", string: place.city)
        sink.field("postCode", string: place.postCode)
        sink.field("state", string: nil)
        sink.endObjectField()
        sink.field("notes", string: nil)
    }

    func emitLocation<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 8)
        var current = versionRandom(state.index, version: state.version)
        let site = siteOfLocation(state.index)
        let isFloor = platform == .ioffice && state.index % 7 == 0
        sink.field("key", string: key)
        sink.field("siteKey", string: site.map { sourceKey(.sites, $0) })
        sink.field("parentKey", string: state.index >= count(.sites) && stable.next() % 3 == 0 ? sourceKey(.locations, state.index % max(1, count(.sites))) : nil)
        sink.field("organizationKey", string: platform == .jdeWorld ? "00001" : "ORG-1")
        sink.field("name", string: "\(stableName(state.index)) \(state.index + 1)")
        sink.field("description", string: stable.next() % 2 == 0 ? nil : "Bereich \(state.index + 1)")
        sink.field("code", string: key)
        sink.field("type", string: platform == .ioffice ? (isFloor ? "Floor" : "Room") : "Area")
        sink.field("isActive", bool: current.next() % 15 != 0)
        sink.field("isDefault", bool: state.index == 0)
    }

    func emitPurchaseOrder<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 9)
        var current = versionRandom(state.index, version: state.version)
        let sites = count(.sites)
        let site = sites > 0 ? sourceKey(.sites, Int(stable.next() % UInt64(sites))) : nil
        let total = Double(stable.next() % 5_000_000) / 100
        sink.field("key", string: key)
        sink.field("siteKey", string: site)
        sink.field("vendorKey", string: "V\(5_000 + stable.next() % 300)")
        sink.field("orderNo", string: key)
        sink.field("statusKey", string: ["220", "400", "980", "999"][Int(current.next() % 4)])
        sink.field("title", string: stableName(state.index))
        sink.field("dueAt", date: state.createdAt + Int64(stable.next() % (30 * 86_400)))
        sink.field("approvedAt", date: current.next() % 2 == 0 ? nil : state.createdAt + 3_600)
        sink.field("completedAt", date: nil)
        sink.field("currencyKey", string: ["EUR", "USD", "MXN", "CNY"][Int(stable.next() % 4)])
        sink.field("totalNetValue", string: String(total))
        sink.field("totalGrossValue", string: String((total * 119).rounded() / 100))
        sink.field("notes", string: current.next() % 3 == 0 ? PlatformVocabulary.notes[Int(current.next() % UInt64(PlatformVocabulary.notes.count))] : nil)
    }

    func emitMaterial<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 10)
        var current = versionRandom(state.index, version: state.version)
        sink.field("key", string: key)
        sink.field("code", string: key)
        sink.field("partNumber", string: "P-\(stable.next() % 1_000_000)")
        sink.field("name", string: stableName(state.index))
        sink.field("description", string: stable.next() % 3 == 0 ? nil : "Lagerartikel \(key)")
        sink.field("isAssembly", bool: stable.next() % 10 == 0)
        sink.field("criticality", string: ["A", "B", "C"][Int(stable.next() % 3)])
        sink.field("isActive", bool: current.next() % 12 != 0)
        sink.field("manufacturerName", string: PlatformVocabulary.makes[Int(stable.next() % UInt64(PlatformVocabulary.makes.count))])
    }
}
