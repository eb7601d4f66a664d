/// Stores and purchasing: storerooms, stock, inventories, purchase-order line items, return orders.
extension RecordGenerator {
    func emitStoreroom<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 16)
        let location = referenceIndex(.locations, stable.next())
        sink.field("key", string: key)
        sink.field("parentKey", string: nil)
        sink.field("siteKey", string: location.flatMap { siteOfLocation($0) }.map { sourceKey(.sites, $0) })
        sink.field("locationKey", string: location.map { sourceKey(.locations, $0) })
        sink.field("userManagerKey", string: reference(.users, stable.next()))
        sink.field("code", string: key.trimmingLeadingSpaces())
        sink.field("name", string: "\(stableName(state.index)) \(state.index + 1)")
        sink.field("type", string: ["Main", "Satellite", "Consignment"][Int(stable.next() % 3)])
        sink.field("description", string: nil)
        sink.field("priority", string: String(stable.next() % 3 + 1))
    }

    func emitStock<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 17)
        var current = versionRandom(state.index, version: state.version)
        let storeroom = referenceIndex(.storerooms, stable.next())
        let minimum = Double(stable.next() % 10)
        let maximum = minimum + Double(stable.next() % 50 + 5)
        sink.field("key", string: key)
        sink.field("productKey", string: nil)
        sink.field("materialKey", string: existingKey(.materials, state.index % max(1, count(.materials))))
        sink.field("locationKey", string: reference(.locations, stable.next()))
        sink.field("storeroomKey", string: storeroom.map { sourceKey(.storerooms, $0) })
        sink.field("position", string: "R\(stable.next() % 20 + 1)-S\(stable.next() % 6 + 1)")
        sink.field("uomKey", string: existingKey(.uom, 0))
        sink.field("quantity", number: Double(current.next() % UInt64(maximum + 1)))
        sink.field("reorderPoint", string: String(Int(minimum)))
        sink.field("expiresAt", date: stable.next() % 6 == 0 ? state.createdAt + Int64(stable.next() % (700 * 86_400)) : nil)
        sink.field("reorderQuantity", number: maximum - minimum)
        sink.field("minLevel", number: minimum)
        sink.field("maxLevel", number: maximum)
        sink.field("reorderLevel", string: String(Int(minimum)))
    }

    func emitInventory<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 18)
        var current = versionRandom(state.index, version: state.version)
        let material = state.index % max(1, count(.materials))
        sink.field("key", string: key)
        sink.field("code", string: existingKey(.materials, material) ?? key)
        sink.field("name", string: stableName(state.index))
        sink.field("quantity", number: Double(current.next() % 250))
        sink.field("unitCost", number: Double(stable.next() % 900 + 1))
        sink.field("locationKey", string: reference(.locations, stable.next()))
    }

    func emitLineItem<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var current = versionRandom(state.index, version: state.version)
        let (order, line) = parentAndLine(state.index, parent: .purchaseOrders)
        let quantity = emitLineItemBody(state.index, key: key, order: order, line: line, into: &sink)
        let received = Double(current.next() % UInt64(quantity + 1))
        sink.field("statusKey", string: statusKey(.purchaseOrderStatuses, received == quantity ? 2 : Int(current.next() % 2)))
        sink.field("receivedQuantity", string: JSONTextWriter.numberText(received))
        sink.field("cost", string: String(format2: lineValue(state.index)))
        sink.field("notes", string: nil)
        sink.field("dueAt", date: state.createdAt + Int64(line) * 86_400 * 7)
        sink.field("deliveryAt", date: received > 0 ? state.createdAt + Int64(line) * 86_400 * 5 : nil)
    }

    /// The fields a line item shares with its copy inside the purchase order; returns the ordered quantity.
    @discardableResult
    func emitLineItemBody<Sink: RecordFieldSink>(_ index: Int, key: String, order: Int, line: Int, into sink: inout Sink) -> Double {
        var stable = SplitMix64(seed: SplitMix64.mix(seed ^ 0x11E_17E5 ^ UInt64(index)))
        let material = referenceIndex(.materials, stable.next())
        let quantity = Double(stable.next() % 40 + 1)
        let price = Double(stable.next() % 50_000 + 100) / 100
        sink.field("key", string: key)
        sink.field("lineNo", string: String(line))
        sink.field("code", string: material.map { sourceKey(.materials, $0) })
        sink.field("materialKey", string: material.map { sourceKey(.materials, $0) })
        sink.field("assetKey", string: stable.next() % 4 == 0 ? reference(.assets, stable.next()) : nil)
        sink.field("locationKey", string: nil)
        sink.field("storeroomKey", string: reference(.storerooms, stable.next()))
        sink.field("vendorKey", string: purchaseOrderVendor(order))
        sink.field("name", string: material.map { generator(for: .materials).stableName($0) })
        sink.field("type", string: material == nil ? "Service" : "Material")
        sink.field("quantity", string: JSONTextWriter.numberText(quantity))
        sink.field("uomKey", string: existingKey(.uom, 0))
        sink.field("price", string: String(format2: price))
        sink.field("lineTotalValue", number: (price * quantity * 100).rounded() / 100)
        sink.field("currencyKey", string: platform == .jdeWorld ? "EUR" : "USD")
        return quantity
    }

    /// Quantity × price of line item `index`.
    func lineValue(_ index: Int) -> Double {
        var stable = SplitMix64(seed: SplitMix64.mix(seed ^ 0x11E_17E5 ^ UInt64(index)))
        _ = stable.next()
        let quantity = Double(stable.next() % 40 + 1)
        let price = Double(stable.next() % 50_000 + 100) / 100
        return price * quantity
    }

    /// The generator of another entity of the same connection.
    func generator(for other: SimulatedEntity) -> RecordGenerator {
        RecordGenerator(platform: platform, entity: other, seed: seed, baseCounts: baseCounts)
    }

    /// The vendor of purchase order `order` (shared by the order and its lines).
    func purchaseOrderVendor(_ order: Int) -> String? {
        reference(.vendors, SplitMix64.mix(seed ^ 0x7E4D ^ UInt64(order)))
    }

    func emitReturnOrder<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 19)
        var current = versionRandom(state.index, version: state.version)
        let order = referenceIndex(.purchaseOrders, stable.next())
        let status = Int(current.next() % 4)
        let net = Double(stable.next() % 200_000) / 100
        sink.field("key", string: key)
        sink.field("organizationKey", string: existingKey(.organizations, 0))
        sink.field("siteKey", string: reference(.sites, stable.next()))
        sink.field("vendorKey", string: order.flatMap { purchaseOrderVendor($0) })
        sink.field("statusKey", string: statusKey(.returnOrderStatuses, status))
        sink.field("code", string: key)
        sink.field("poKey", string: order.map { sourceKey(.purchaseOrders, $0) })
        sink.field("orderNo", string: key)
        sink.field("orderDate", date: state.createdAt)
        sink.field("type", string: platform == .jdeWorld ? "OR" : "Return")
        sink.field("title", string: stableName(state.index))
        sink.field("description", string: nil)
        sink.field("dueAt", date: state.createdAt + 14 * 86_400)
        sink.field("approvedAt", date: status >= 1 ? state.createdAt + 3_600 : nil)
        sink.field("completedAt", date: status >= 2 ? max(state.createdAt + 7_200, state.updatedAt) : nil)
        sink.field("shippingMethod", string: PlatformVocabulary.shippingMethods[Int(stable.next() % 4)])
        sink.field("terms", string: nil)
        sink.field("notes", string: nil)
        sink.field("currencyKey", string: platform == .jdeWorld ? "EUR" : "USD")
        sink.field("totalNetValue", number: net)
        sink.field("totalTaxValue", number: (net * 19).rounded() / 100)
        sink.field("totalGrossValue", number: (net * 119).rounded() / 100)
    }
}
