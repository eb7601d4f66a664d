/// Site, location, purchase-order and material fields.
extension RecordGenerator {
    func emitSite<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 7)
        let place = PlatformVocabulary.cities[state.index % PlatformVocabulary.cities.count]
        sink.field("key", string: key)
        sink.field("organizationKey", string: existingKey(.organizations, 0))
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
        sink.beginObjectField("contact")
        sink.field("name", string: "\(PlatformVocabulary.firstNames[state.index % 10]) \(PlatformVocabulary.lastNames[(state.index * 3) % 10])")
        sink.field("position", string: platform == .ioffice ? "Facility Manager" : "Werkleiter")
        sink.field("phones", string: "+49 231 \(1_000 + stable.next() % 9_000)")
        sink.field("emails", string: "site\(state.index + 1)@example.com")
        sink.field("isActive", bool: true)
        sink.field("isDefault", bool: true)
        sink.endObjectField()
        sink.field("customerKey", string: nil)
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
        sink.field("organizationKey", string: existingKey(.organizations, 0))
        sink.field("name", string: "\(stableName(state.index)) \(state.index + 1)")
        sink.field("description", string: stable.next() % 2 == 0 ? nil : "Bereich \(state.index + 1)")
        sink.field("code", string: key)
        sink.field("type", string: platform == .ioffice ? (isFloor ? "Floor" : "Room") : "Area")
        sink.field("teamKey", string: reference(.teams, stable.next()))
        sink.field("userManagerKey", string: reference(.users, stable.next()))
        let place = PlatformVocabulary.cities[(site ?? 0) % PlatformVocabulary.cities.count]
        sink.beginObjectField("address")
        sink.field("country", string: place.country)
        sink.field("addressLines", string: platform == .ioffice ? "Floor \((state.index / max(1, count(.sites))) % 20 + 1), Room \(state.index + 1)" : "Halle \(state.index % 9 + 1)")
        sink.field("city", string: place.city)
        sink.field("postCode", string: place.postCode)
        sink.endObjectField()
        sink.field("isActive", bool: current.next() % 15 != 0)
        sink.field("contact", string: stable.next() % 3 == 0 ? nil : "ext. \(2_000 + stable.next() % 800)")
        sink.field("isDefault", bool: state.index == 0)
    }

    func emitPurchaseOrder<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 9)
        var current = versionRandom(state.index, version: state.version)
        let site = reference(.sites, stable.next())
        let lines = childCount(of: state.index, child: .purchaseOrderLineItems, parentEntity: .purchaseOrders)
        var total = 0.0
        for line in 0..<lines { total += lineValue(state.index + line * count(.purchaseOrders)) }
        if lines == 0 { total = Double(stable.next() % 5_000_000) / 100 }
        total = (total * 100).rounded() / 100
        let status = Int(current.next() % 4)
        let approved: Int64? = status == 0 ? nil : state.createdAt + 3_600
        sink.field("key", string: key)
        sink.field("siteKey", string: site)
        sink.field("organizationKey", string: existingKey(.organizations, 0))
        sink.field("orderDate", date: state.createdAt)
        sink.field("vendorKey", string: purchaseOrderVendor(state.index))
        sink.field("userRequestedKey", string: reference(.users, stable.next()))
        sink.field("userApprovedKey", string: approved == nil ? nil : reference(.users, stable.next()))
        sink.field("orderNo", string: key)
        sink.field("statusKey", string: statusKey(.purchaseOrderStatuses, status))
        sink.field("title", string: stableName(state.index))
        sink.field("description", string: nil)
        sink.field("dueAt", date: state.createdAt + Int64(stable.next() % (30 * 86_400)))
        sink.field("approvedAt", date: approved)
        sink.field("completedAt", date: status >= 2 ? max(state.createdAt + 7_200, state.updatedAt) : nil)
        sink.field("shippingMethod", string: PlatformVocabulary.shippingMethods[Int(stable.next() % 4)])
        sink.field("shipmentDate", date: status >= 2 ? state.createdAt + 86_400 * Int64(stable.next() % 10 + 1) : nil)
        sink.field("terms", string: PlatformVocabulary.terms[Int(stable.next() % 4)])
        sink.field("currencyKey", string: ["EUR", "USD", "MXN", "CNY"][Int(stable.next() % 4)])
        sink.field("locationKey", string: nil)
        sink.field("totalNetValue", string: String(format2: total))
        sink.field("totalGrossValue", string: String(format2: total * 1.19))
        sink.field("notes", string: current.next() % 3 == 0 ? PlatformVocabulary.notes[Int(current.next() % UInt64(PlatformVocabulary.notes.count))] : nil)
        sink.beginArrayField("lineItems")
        for line in 0..<lines {
            let index = state.index + line * count(.purchaseOrders)
            sink.beginElementObject()
            emitLineItemBody(index, key: sourceKey(.purchaseOrderLineItems, index), order: state.index, line: line + 1, into: &sink)
            sink.endElementObject()
        }
        sink.endArrayField()
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
        sink.field("organizationKey", string: existingKey(.organizations, 0))
        sink.beginArrayField("siteKeys")
        if let site = reference(.sites, stable.next()) { sink.element(string: site) }
        sink.endArrayField()
        sink.field("vendorKeys", string: reference(.vendors, stable.next()))
        sink.field("accountKey", string: platform == .jdeWorld ? existingKey(.accounts, max(1, count(.sites))) : nil)
        sink.field("categoryName", string: ["Spare part", "Consumable", "Ersatzteil", "Tool"][Int(stable.next() % 4)])
        sink.field("notes", string: nil)
        sink.field("minimumQuantity", string: String(stable.next() % 10))
        sink.field("uomKey", string: existingKey(.uom, 0))
        sink.field("cost", number: Double(stable.next() % 50_000 + 100) / 100)
        sink.field("currency", string: platform == .jdeWorld ? "EUR" : "USD")
    }
}
