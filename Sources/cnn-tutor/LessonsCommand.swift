import ArgumentParser

/// `cnn-tutor lessons`: List or validate lessons.
struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lessons", abstract: "List or validate lessons.")

    func run() throws {
        throw ValidationError("'lessons' is not built yet")
    }
}
