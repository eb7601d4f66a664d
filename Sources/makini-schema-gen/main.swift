import Foundation
import SchemaModel

// makini-schema-gen [--check]: writes sql/006_eam_model.sql and docs/schema.md from
// ../shared/reference/openapi/makini-eam.json (all relative to the repository root, the current directory);
// --check only compares and exits 1 on a difference.

let arguments = Array(CommandLine.arguments.dropFirst())
let check = arguments.contains("--check")
if let unknown = arguments.first(where: { $0 != "--check" }) {
    FileHandle.standardError.write(Data("makini-schema-gen: unknown argument \(unknown); usage: makini-schema-gen [--check]\n".utf8))
    exit(64)
}
let layout = GeneratedMigration.Layout(root: FileManager.default.currentDirectoryPath)
do {
    var stale: [String] = []
    for file in try GeneratedMigration.files(layout) {
        let path = layout.root + "/" + file.name
        let current = try? String(contentsOfFile: path, encoding: .utf8)
        if current == file.text {
            print("\(file.name) is up to date")
        } else if check {
            stale.append(file.name)
        } else {
            try file.text.write(toFile: path, atomically: true, encoding: .utf8)
            print("wrote \(file.name)")
        }
    }
    if !stale.isEmpty {
        FileHandle.standardError.write(Data(
            "\(stale.joined(separator: ", ")) differ from what \(layout.documentName) gives; run swift run makini-schema-gen\n".utf8))
        exit(1)
    }
} catch {
    FileHandle.standardError.write(Data("makini-schema-gen: \(error)\n".utf8))
    exit(1)
}
