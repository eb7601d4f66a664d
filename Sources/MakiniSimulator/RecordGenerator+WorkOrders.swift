/// Work-order and asset fields.
extension RecordGenerator {
    func emitWorkOrder<Sink: RecordFieldSink>(_ state: RecordState, key: String, into sink: inout Sink) {
        var stable = stableRandom(state.index, stream: 5)
        var current = versionRandom(state.index, version: state.version)
        let assets = count(.assets)
        let reference = assets > 0 ? assetReference(Int(stable.next() % UInt64(assets))) : nil
        let statuses = PlatformVocabulary.workOrderStatuses
        let status = statuses[Int(current.next() % UInt64(statuses.count))]
        let created = state.createdAt
        let due = created + Int64(stable.next() % (45 * 86_400)) - 5 * 86_400
        let scheduled: Int64? = stable.next() % 4 == 0 ? nil : created + Int64(stable.next() % (20 * 86_400))
        let approved: Int64? = status.status == "open" && current.next() % 2 == 0 ? nil : created + Int64(current.next() % 86_400)
        let completed: Int64? = status.status == "completed" ? max(created, state.updatedAt - Int64(current.next() % 3_600)) : nil
        let isJDE = platform == .jdeWorld

        sink.field("key", string: key)
        sink.field("parentKey", string: stable.next() % 10 == 0 && state.index > 0 ? sourceKey(.workOrders, state.index - 1) : nil)
        sink.field("locationKey", string: reference?.location)
        sink.field("siteKey", string: reference?.site)
        sink.field("assetKey", string: reference?.asset)
        sink.field("accountKey", string: isJDE ? "\((reference?.site ?? "M30").trimmingLeadingSpaces()).4310" : nil)
        sink.field("title", string: stableName(state.index))
        sink.field("serviceRequestKey", string: platform == .ioffice ? "SR-\(String(format6: state.index + 1))" : nil)
        sink.field("code", string: isJDE ? "WO\(key)" : key)
        sink.field("pmKey", string: stable.next() % 3 == 0 ? "PM-\(stable.next() % 500)" : nil)
        sink.field("teamKey", string: "TEAM-\(stable.next() % 12)")
        sink.field("organizationKey", string: isJDE ? "00001" : "ORG-1")
        sink.field("instructions", string: stable.next() % 5 == 0 ? nil : "Sicherheitshinweise beachten. Step \(stable.next() % 9 + 1): check \(stableName(state.index)).")
        sink.field("status", string: status.status)
        sink.field("statusKey", string: isJDE ? status.jdeCode : status.status.uppercased())
        sink.field("severity", string: PlatformVocabulary.severities[Int(stable.next() % 4)])
        sink.field("estimatedTime", string: String(Double(stable.next() % 32) / 4))
        sink.field("roleName", string: PlatformVocabulary.roles[Int(stable.next() % UInt64(PlatformVocabulary.roles.count))])
        sink.field("categoryName", string: PlatformVocabulary.workOrderCategories[Int(stable.next() % UInt64(PlatformVocabulary.workOrderCategories.count))])
        sink.field("notes", string: current.next() % 3 == 0 ? PlatformVocabulary.notes[Int(current.next() % UInt64(PlatformVocabulary.notes.count))] : nil)
        sink.field("approvedAt", date: approved)
        sink.field("dueAt", date: due)
        sink.field("scheduledAt", date: scheduled)
        sink.field("actualTime", string: completed == nil ? nil : String(Double(current.next() % 40) / 4))
        sink.field("completedAt", date: completed)
        sink.field("completionRemarks", string: completed == nil ? nil : "Erledigt — ok")
        sink.field("materialCount", string: String(stable.next() % 6))
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
        sink.field("vendorKey", string: stable.next() % 2 == 0 ? "V\(5_000 + stable.next() % 300)" : nil)
        sink.field("teamKey", string: nil)
        sink.field("locationKey", string: location.map { sourceKey(.locations, $0) })
        sink.field("customerKey", string: nil)
        sink.field("accountKeys", string: platform == .jdeWorld ? "1340.\(String(format3: state.index % 1000))" : nil)
        sink.field("name", string: stableName(state.index))
        sink.field("description", string: stable.next() % 4 == 0 ? nil : "\(stableName(state.index)) — Baujahr \(1990 + stable.next() % 34)")
        sink.field("makeCompanyKey", string: make.map { "MFG-\($0.prefix(3).uppercased())" })
        sink.field("assetTemplateKey", string: nil)
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
