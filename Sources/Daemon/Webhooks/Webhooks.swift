import Hummingbird
import Logging
import JobFiles
import SyncEngine

/// The webhook endpoint's parts for one daemon: settings, metrics, the dispatcher of triggered runs and the receiver.
struct Webhooks: Sendable {
    let settings: WebhookSettings
    let metrics = WebhookMetrics()
    let dispatcher: WebhookDispatcher
    let receiver: WebhookReceiver

    init(settings: WebhookSettings, options: RunOptions, state: SchedulerState, logger: Logger) {
        self.settings = settings
        let jobs: @Sendable () -> [JobSpec] = { state.currentJobs }
        dispatcher = WebhookDispatcher(options: options, settings: settings, jobs: jobs, metrics: metrics, logger: logger)
        receiver = WebhookReceiver(
            settings: settings, jobs: jobs, dispatcher: dispatcher, metrics: metrics, databaseURL: options.databaseURL, logger: logger)
    }

    /// A router of its own when the endpoint has a separate listen address; nil when it shares the daemon's.
    func separateRouter() -> Router<BasicRequestContext>? {
        settings.listenHost != nil && settings.listenPort != nil ? Router() : nil
    }
}
