import Foundation
import Testing

@testable import Cron
import Outcomes

@Suite("systemd unit rendering")
struct SystemdUnitsTests {
    static func units(job: String = "plant-floor", schedule: CronSchedule? = TestDates.schedule("30 2 * * *", TestDates.berlin), user: Bool = false) -> SystemdUnits {
        SystemdUnits(
            jobName: job, schedule: schedule, executable: "/usr/local/bin/makini-sync",
            workingDirectory: "/var/lib/makini-sync", jobsDirectory: "/etc/makini-sync/jobs",
            environmentFile: "/etc/makini-sync/env", user: user)
    }

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    @Test func namesFollowTheJob() {
        let units = Self.units()
        #expect(units.serviceName == "makini-sync-plant-floor.service")
        #expect(units.timerName == "makini-sync-plant-floor.timer")
        #expect(Self.units(job: "a b/c").serviceName == "makini-sync-a\\x20b-c.service")
    }

    @Test func serviceRunsTheJobOnceWithTokensFromTheEnvironmentFile() {
        let service = lines(Self.units().service())
        #expect(service.contains("Type=oneshot"))
        #expect(service.contains("ExecStart=/usr/local/bin/makini-sync run plant-floor --jobs-dir /etc/makini-sync/jobs"))
        #expect(service.contains("EnvironmentFile=-/etc/makini-sync/env"))
        #expect(service.contains("WorkingDirectory=/var/lib/makini-sync"))
        #expect(service.contains("After=network-online.target"))
        #expect(!service.contains { $0.hasPrefix("Environment=") }, "secrets belong in the EnvironmentFile")
    }

    @Test func systemServiceCarriesTheFullHardeningSet() {
        let service = lines(Self.units().service())
        for option in [
            "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=read-only", "PrivateTmp=yes", "PrivateDevices=yes",
            "ProtectKernelTunables=yes", "ProtectControlGroups=yes", "RestrictSUIDSGID=yes", "LockPersonality=yes",
            "MemoryDenyWriteExecute=yes", "RestrictNamespaces=yes", "ReadWritePaths=-/var/lib/makini-sync",
            "User=makini-sync", "Group=makini-sync",
        ] {
            #expect(service.contains(option), "missing \(option)")
        }
    }

    @Test func userServiceOmitsPrivilegedOptions() {
        let service = lines(Self.units(user: true).service())
        for option in ["ProtectSystem=", "ProtectHome=", "PrivateTmp=", "PrivateDevices=", "ProtectKernelTunables=", "ProtectControlGroups=", "User=", "Group=", "ReadWritePaths=", "After=network-online.target"] {
            #expect(!service.contains { $0.hasPrefix(option) }, "user unit must not set \(option)")
        }
        #expect(service.contains("NoNewPrivileges=yes"))
        #expect(service.contains("RestrictNamespaces=yes"))
    }

    @Test func exitStatusesAreMapped() {
        let service = lines(Self.units().service())
        #expect(service.contains("SuccessExitStatus=\(ExitStatus.lockHeld.rawValue) \(ExitStatus.interrupted.rawValue)"))
        #expect(ExitStatus.interrupted.rawValue == 130)
        #expect(service.contains("Restart=on-failure"))
        #expect(service.contains("RestartPreventExitStatus=2 64 77 78"))
        #expect(!ExitStatus.notWorthRestarting.contains(.warehouseUnavailable))
    }

    @Test func argumentsAndSpecifiersAreEscaped() {
        let units = SystemdUnits(
            jobName: "nightly", schedule: nil, executable: "/opt/makini sync/bin/makini-sync",
            workingDirectory: "/srv/100%", jobsDirectory: "/etc/jobs $HOME", environmentFile: "/etc/env", user: false)
        let service = lines(units.service())
        #expect(service.contains("ExecStart=\"/opt/makini sync/bin/makini-sync\" run nightly --jobs-dir \"/etc/jobs $$HOME\""))
        #expect(service.contains("WorkingDirectory=/srv/100%%"))
    }

    @Test func timerFollowsTheSchedule() {
        let timer = lines(Self.units().timer())
        #expect(timer.contains("OnCalendar=*-*-* 02:30:00 Europe/Berlin"))
        #expect(timer.contains("Persistent=true"))
        #expect(timer.contains("RandomizedDelaySec=30"))
        #expect(timer.contains("Unit=makini-sync-plant-floor.service"))
        #expect(timer.contains("WantedBy=timers.target"))
    }

    @Test func timerRendersBothAlternativesOfAnOrSchedule() {
        let timer = lines(Self.units(schedule: TestDates.schedule("0 0 13 * FRI")).timer())
        #expect(timer.filter { $0.hasPrefix("OnCalendar=") } == ["OnCalendar=*-*-13 00:00:00 UTC", "OnCalendar=Fri *-*-* 00:00:00 UTC"])
    }

    @Test func jobWithoutScheduleRunsHourly() {
        let timer = lines(Self.units(schedule: nil).timer())
        #expect(timer.filter { $0.hasPrefix("OnCalendar=") } == ["OnCalendar=*-*-* *:00:00 UTC"])
    }
}
