import FuzzSupport
import SyncEngine

/// libFuzzer entry: arbitrary bytes as a job file. The loader must answer with a job whose every
/// SQL-bound name passes the identifier rules, or with located errors; never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJobFile(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        let job = try JobFileLoader.load(yaml: text, path: "fuzz.yaml")
        precondition(job.identifierViolations.isEmpty, "accepted unsafe names: \(job.identifierViolations)")
    } catch {
        precondition(!error.errors.isEmpty, "a failed load without errors")
        for problem in error.errors {
            precondition(problem.line >= 0 && problem.column >= 0 && !problem.message.isEmpty, "an unlocated error")
        }
    }
    return 0
}

/// The executable's entry point (SwiftPM links `FuzzJobFile_main` as `main`): hands over to libFuzzer's driver.
@_cdecl("FuzzJobFile_main")
public func fuzzJobFileMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        guard let data else { return 0 }
        return fuzzJobFile(UnsafeRawPointer(data), size)
    }
}
