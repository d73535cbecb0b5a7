import Foundation

// embed-lessons OUTPUT.swift LESSON.md…: writes the lesson files, by file
// name, into OUTPUT.swift as `BuiltInLessons.files`. The EmbedLessons build
// plugin runs it on Lessons/; nobody edits its output.

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: embed-lessons OUTPUT.swift LESSON.md...\n".utf8))
    exit(2)
}
let files = arguments.dropFirst(2).map { URL(fileURLWithPath: $0) }.sorted { $0.lastPathComponent < $1.lastPathComponent }

/// `text` as a Swift string literal; nil when it holds a control character
/// other than a newline, a carriage return or a tab.
func literal(_ text: String) -> String? {
    guard !text.unicodeScalars.contains(where: { ($0.value < 0x20 && !"\n\r\t".unicodeScalars.contains($0)) || $0.value == 0x7F }) else {
        return nil
    }
    let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        .replacingOccurrences(of: "\t", with: "\\t")
    return "\"" + escaped + "\""
}

var source = """
// Written by embed-lessons from Lessons/ at build time.

/// The lesson files of `Lessons/` when this binary was built.
public enum BuiltInLessons {
    /// Each lesson file's name and text, sorted by name.
    public static let files: [(name: String, text: String)] = [

"""
for file in files {
    guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8),
          let name = literal(file.lastPathComponent), let body = literal(text) else {
        FileHandle.standardError.write(Data("embed-lessons: \(file.path) is not UTF-8 text without control characters\n".utf8))
        exit(1)
    }
    source += "        (\(name), \(body)),\n"
}
source += "    ]\n}\n"
do {
    try source.write(toFile: arguments[1], atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("embed-lessons: can't write \(arguments[1]): \(error)\n".utf8))
    exit(1)
}
