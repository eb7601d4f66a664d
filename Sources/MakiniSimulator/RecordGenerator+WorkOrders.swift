/// Work-order and asset fields.
extension RecordGenerator {
    func emitWorkOrder<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 5)
        var current = versionRandom(state.index, version: state.version)
        let asset = referenceIndex(.assets, stable.next())
        let place = asset.map { assetReference($0) }
        let statuses = PlatformVocabulary.workOrderStatuses
        let statusIndex = Int(current.next() % UInt64(statuses.count))
        let status = statuses[statusIndex]
        let created = state.createdAt
        let due = created + Int64(stable.next() % (45 * 86_400)) - 5 * 86_400
        let scheduled: Int64? = stable.next() % 4 == 0 ? nil : created + Int64(stable.next() % (20 * 86_400))
        let approved: Int64? = status.status == "open" && current.next() % 2 == 0 ? nil : created + Int64(current.next() % 86_400)
        let completed: Int64? = status.status == "completed" ? max(approved ?? created, state.updatedAt - Int64(current.next() % 3_600)) : nil
        let isJDE = platform == .jdeWorld
        let category = Int(stable.next() % UInt64(PlatformVocabulary.workOrderCategories.count))
        let site = asset.flatMap { locationOfAsset($0) }.flatMap { siteOfLocation($0) }
        let estimated = Double(stable.next() % 32 + 1) / 4
        let linkedRequest = platform == .ioffice || state.index % 4 == 0 ? existingKey(.serviceRequests, state.index) : nil

        sink.field("key", string: key)
        sink.field("parentKey", string: stable.next() % 10 == 0 && state.index > 0 ? sourceKey(.workOrders, state.index - 1) : nil)
        sink.field("locationKey", string: place?.location)
        sink.field("siteKey", string: place?.site)
        sink.field("assetKey", string: place?.asset)
        sink.field("accountKey", string: isJDE ? existingKey(.accounts, site ?? 0) : reference(.accounts, stable.next()))
        sink.field("title", string: stableName(state.index))
        sink.field("serviceRequestKey", string: linkedRequest)
        sink.field("code", string: isJDE ? "WO\(key)" : key)
        // Preventive work orders come from the PM schedule of their asset; corrective ones may record its downtime.
        sink.field("pmKey", string: category == 0 ? existingKey(.pm, asset) : nil)
        sink.field("teamKey", string: reference(.teams, stable.next()))
        sink.field("laborAssignedKey", string: status.status == "open" && approved == nil ? nil : reference(.labors, stable.next()))
        sink.field("userApprovedKey", string: approved == nil ? nil : reference(.users, stable.next()))
        sink.field("assetDowntimeKey", string: category == 1 || category == 3 ? existingKey(.assetDowntime, asset) : nil)
        sink.field("organizationKey", string: existingKey(.organizations, 0))
        sink.field("instructions", string: stable.next() % 5 == 0 ? nil : "Sicherheitshinweise beachten. Step \(stable.next() % 9 + 1): check \(stableName(state.index)).")
        sink.field("status", string: status.status)
        sink.field("statusKey", string: statusKey(.workOrderStatuses, PlatformVocabulary.workOrderStatusIndex[statusIndex]))
        sink.field("severity", string: PlatformVocabulary.severities[Int(stable.next() % 4)])
        sink.field("estimatedTime", string: String(estimated))
        sink.field("roleName", string: PlatformVocabulary.roles[Int(stable.next() % UInt64(PlatformVocabulary.roles.count))])
        sink.field("categoryName", string: PlatformVocabulary.workOrderCategories[category])
        sink.field("storeroomKey", string: reference(.storerooms, stable.next()))
        sink.field("notes", string: current.next() % 3 == 0 ? PlatformVocabulary.notes[Int(current.next() % UInt64(PlatformVocabulary.notes.count))] : nil)
        sink.field("approvedAt", date: approved)
        sink.field("dueAt", date: due)
        sink.field("scheduledAt", date: scheduled)
        let actual: Double? = completed == nil ? nil : Double(current.next() % 40 + 1) / 4
        sink.field("actualTime", string: actual.map { String($0) })
        sink.field("completedAt", date: completed)
        sink.field("completionRemarks", string: completed == nil ? nil : "Erledigt — ok")
        // Preventive work follows the task list of its schedule; other work has none.
        emitTasks(state.index, key: key, count: category == 0 ? Int(stable.next() % 3) + 1 : 0, into: &sink)
        emitResources(
            state, stable: &stable, started: status.status == "open" ? nil : approved ?? created, finished: completed,
            estimated: estimated, actual: actual, into: &sink)
        sink.field("materialCount", string: String(childCount(of: state.index, child: .workOrderMaterials, parentEntity: .workOrders)))
        if stable.next() % 10 == 0 { sink.field("x_costCenter", string: "CC-\(4_100 + stable.next() % 20)") }
        if platform == .ioffice, stable.next() % 8 == 0 { sink.field("x_requesterEmail", string: "user\(state.index)@example.com") }
    }

    func emitAsset<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 6)
        var current = versionRandom(state.index, version: state.version)
        let location = locationOfAsset(state.index)
        let site = location.flatMap { siteOfLocation($0) }
        let active = current.next() % 10 != 0
        let makes = PlatformVocabulary.makes
        let make: String? = stable.next() % 6 == 0 ? nil : makes[Int(stable.next() % UInt64(makes.count))]
        let activated = state.createdAt - Int64(stable.next() % (400 * 86_400))

        sink.field("key", string: key)
        sink.field("siteKey", string: site.map { sourceKey(.sites, $0) })
        sink.field("parentKey", string: state.index > 0 && stable.next() % 7 == 0 ? sourceKey(.assets, Int(stable.next() % UInt64(state.index))) : nil)
        sink.field("vendorKey", string: stable.next() % 2 == 0 ? reference(.vendors, stable.next()) : nil)
        sink.field("teamKey", string: reference(.teams, stable.next()))
        sink.field("locationKey", string: location.map { sourceKey(.locations, $0) })
        sink.field("customerKey", string: nil)
        sink.field("accountKeys", string: platform == .jdeWorld ? existingKey(.accounts, 2 * max(1, count(.sites)) + (site ?? 0)) : nil)
        sink.field("name", string: stableName(state.index))
        sink.field("description", string: stable.next() % 4 == 0 ? nil : "\(stableName(state.index)) — Baujahr \(1990 + stable.next() % 34)")
        sink.field("makeCompanyKey", string: make == nil ? nil : reference(.companies, stable.next()))
        sink.field("assetTemplateKey", string: reference(.assetTemplates, stable.next()))
        sink.field("isPhysical", bool: stable.next() % 20 != 0)
        sink.field("notes", string: current.next() % 4 == 0 ? PlatformVocabulary.notes[Int(current.next() % UInt64(PlatformVocabulary.notes.count))] : nil)
        sink.field("categoryName", string: PlatformVocabulary.assetCategories[Int(stable.next() % UInt64(PlatformVocabulary.assetCategories.count))])
        sink.field("criticality", string: ["A", "B", "C"][Int(stable.next() % 3)])
        sink.field("isActive", bool: active)
        sink.field("makeName", string: make)
        sink.field("modelName", string: make == nil ? nil : "M-\(stable.next() % 900 + 100)")
        sink.field("serialNumber", string: stable.next() % 5 == 0 ? nil : "SN\(String(stable.next() % 100_000_000, radix: 36).uppercased())")
        sink.field("activatedAt", date: activated)
        sink.field("deactivatedAt", date: active ? nil : state.updatedAt)
        if stable.next() % 10 == 0 { sink.field("x_costCenter", string: "CC-\(4_100 + stable.next() % 20)") }
    }
}
