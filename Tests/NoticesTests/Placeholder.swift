import Testing
@testable import Notices

@Test func placeholder() { #expect(NoticeStatus.failed.isFailure) }
