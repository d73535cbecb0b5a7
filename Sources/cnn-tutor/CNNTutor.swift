import ArgumentParser

/// The `cnn-tutor` command: the app by default, and the tools beside it.
@main
struct CNNTutor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnn-tutor",
        abstract: "Learn why modern CNNs end in global pooling instead of Flatten().",
        subcommands: [
            AppCommand.self,
            LearnCommand.self,
            BuildCommand.self,
            PlayCommand.self,
            SummaryCommand.self,
            ForwardCommand.self,
            ExperimentCommand.self,
            BenchCommand.self,
            LessonsCommand.self,
            ExportCommand.self,
        ],
        defaultSubcommand: AppCommand.self
    )
}
