import Foundation
import PackagePlugin

/// Builds the lesson files of `Lessons/` (the `LessonFiles` target) into a
/// Swift source, so that the binary has them wherever it is copied.
///
/// The folder stays the source of truth: SwiftPM hands the plugin the
/// target's files, and every build after a lesson is edited, added or
/// removed writes `BuiltInLessons.swift` again.
@main struct EmbedLessons: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let module = target.sourceModule else { return [] }
        let lessons = module.sourceFiles(withSuffix: "md").map(\.url).filter { $0.lastPathComponent.lowercased() != "readme.md" }
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltInLessons.swift")
        return [.buildCommand(
            displayName: "Embedding \(lessons.count) lessons",
            executable: try context.tool(named: "embed-lessons").url,
            arguments: [output.path] + lessons.map(\.path),
            inputFiles: lessons,
            outputFiles: [output])]
    }
}
