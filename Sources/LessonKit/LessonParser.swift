import CNNModel
import Foundation
import Yams

/// Reads a lesson Markdown file: YAML front matter, `## ` steps, prose and fenced actions.
///
/// Collects every problem it can find in one pass, each as `file:line: message`.
public enum LessonParser {
    /// Fence info strings shown as code samples rather than run as actions.
    public static let displayLanguages: Set<String> = ["", "python", "py", "text", "txt", "console", "sh", "bash", "output", "plain"]

    /// The largest lesson read, in bytes: the longest lesson is about 15 KB,
    /// so a bigger file is a mistake (a log, a data file) that would only keep the screen waiting.
    public static let maxBytes = 1 << 20
    /// The most steps a lesson may have; the longest has 7.
    public static let maxSteps = 200

    /// Parses lesson text; `file` names it in error messages.
    public static func parse(_ text: String, file: String) throws(LessonErrors) -> Lesson {
        try checkSize(text.utf8.count, file: file)
        var reader = LessonFileReader(text: text, file: file)
        let lesson = reader.read()
        if !reader.errors.isEmpty { throw LessonErrors(reader.errors) }
        guard let lesson else { throw LessonErrors([LessonError(file: file, line: 1, "the lesson could not be read")]) }
        guard lesson.steps.count <= maxSteps else {
            throw LessonErrors([LessonError(file: file, line: 1, "the lesson has \(lesson.steps.count) steps, "
                + "more than the \(maxSteps) a lesson may have; split it into several lessons")])
        }
        return lesson
    }

    /// Refuses a lesson over ``maxBytes``, with its size.
    static func checkSize(_ bytes: Int, file: String) throws(LessonErrors) {
        guard bytes > maxBytes else { return }
        let size = String(format: "%.1f MB", Double(bytes) / Double(1 << 20))
        throw LessonErrors([LessonError(file: file, line: 1, "the lesson is \(size), larger than the 1 MB "
            + "a lesson may be; is this the right file? (split a long lesson into several)")])
    }

    /// Reads and parses a lesson file from disk; a file over ``maxBytes`` is refused before it is read.
    public static func parse(contentsOf path: String) throws(LessonErrors) -> Lesson {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int {
            try checkSize(size, file: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LessonErrors([LessonError(file: path, line: 1, "can't read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LessonErrors([LessonError(file: path, line: 1, "the file is not UTF-8 text")])
        }
        return try parse(text, file: path)
    }
}

/// The state of one pass over a lesson file.
struct LessonFileReader {
    let lines: [String]
    let file: String
    var errors: [LessonError] = []

    // Prose being gathered.
    var steps: [LessonStep] = []
    var intro: [ProseBlock] = []
    var paragraph: [(line: Int, text: String)] = []
    var listItem: (marker: String, indent: Int, parts: [(line: Int, text: String)])?

    init(text: String, file: String) {
        var split = text.components(separatedBy: "\n")
        if split.last == "" { split.removeLast() }
        self.lines = split.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        self.file = file
    }

    mutating func error(_ line: Int, _ message: String) {
        errors.append(LessonError(file: file, line: line, message))
    }

    // MARK: - The whole file

    mutating func read() -> Lesson? {
        guard let (meta, bodyStart) = frontMatter() else { return nil }
        var i = bodyStart
        var inComment = false
        while i < lines.count {
            let raw = lines[i]
            let lineNo = i + 1
            let trimmed = raw.trimmingSpaces()
            if inComment {
                if trimmed.contains("-->") { inComment = false }
                i += 1
                continue
            }
            if trimmed.hasPrefix("<!--") {
                flushProse()
                if !trimmed.contains("-->") { inComment = true }
                i += 1
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                flushProse()
                let marker = String(trimmed.prefix(3))
                let info = String(trimmed.dropFirst(3)).trimmingSpaces()
                guard let close = lines[(i + 1)...].firstIndex(where: { $0.trimmingSpaces() == marker }) else {
                    error(lineNo, "unclosed \(marker) fence opened here; add a line with \(marker) to close it")
                    break
                }
                block(info: info, body: Array(lines[(i + 1)..<close]), fenceLine: lineNo)
                i = close + 1
                continue
            }
            if trimmed.hasPrefix("## ") {
                flushProse()
                let title = String(trimmed.dropFirst(3)).trimmingSpaces()
                if title.isEmpty { error(lineNo, "a step heading needs a title after '## '") }
                steps.append(LessonStep(title: title, line: lineNo))
                i += 1
                continue
            }
            if trimmed.hasPrefix("# ") && steps.isEmpty {
                flushProse()
                i += 1
                continue
            }
            if trimmed.hasPrefix("#"), let hashes = trimmed.firstIndex(where: { $0 != "#" }), trimmed[hashes] == " " {
                flushProse()
                if let inlines = inlines(String(trimmed[hashes...]).trimmingSpaces(), line: lineNo) {
                    addProse(.heading(inlines, line: lineNo))
                }
                i += 1
                continue
            }
            if trimmed.isEmpty {
                flushProse()
                i += 1
                continue
            }
            var text = trimmed
            if text.hasPrefix(">") { text = String(text.dropFirst()).trimmingSpaces() }
            if let (marker, rest) = Self.listMarker(text) {
                flushProse()
                let indent = raw.prefix(while: { $0 == " " }).count / 2
                listItem = (marker, indent, [(lineNo, rest)])
            } else if listItem != nil {
                listItem!.parts.append((lineNo, text))
            } else {
                paragraph.append((lineNo, text))
            }
            i += 1
        }
        flushProse()
        if steps.isEmpty, errors.isEmpty {
            error(lines.count, "the lesson has no steps; start each step with a '## ' heading")
        }
        for (i, step) in steps.enumerated() where step.items.isEmpty {
            // A step whose blocks all failed to parse is not reported again as empty.
            let end = i + 1 < steps.count ? steps[i + 1].line : Int.max
            if !errors.contains(where: { $0.line > step.line && $0.line < end }) {
                error(step.line, "step '\(step.title)' is empty")
            }
        }
        // The introduction opens the first step, so the app and playback show it like any prose.
        if !steps.isEmpty { steps[0].items.insert(contentsOf: intro.map(StepItem.prose), at: 0) }
        return Lesson(meta: meta, intro: intro, steps: steps, file: file)
    }

    /// `- item`, `* item`, `+ item`, `3. item` → (marker, rest).
    static func listMarker(_ text: String) -> (String, String)? {
        for bullet in ["- ", "* ", "+ "] where text.hasPrefix(bullet) {
            return ("•", String(text.dropFirst(2)).trimmingSpaces())
        }
        let digits = text.prefix(while: \.isNumber)
        if !digits.isEmpty, digits.count <= 3 {
            let rest = text.dropFirst(digits.count)
            if rest.hasPrefix(". ") || rest.hasPrefix(") ") {
                return ("\(digits).", String(rest.dropFirst(2)).trimmingSpaces())
            }
        }
        return nil
    }

    // MARK: - Prose

    mutating func flushProse() {
        if !paragraph.isEmpty {
            let first = paragraph[0].line
            if let inl = joinedInlines(paragraph) { addProse(.paragraph(inl, line: first)) }
            paragraph = []
        }
        if let item = listItem {
            if let inl = joinedInlines(item.parts) {
                addProse(.listItem(marker: item.marker, inl, indent: item.indent, line: item.parts[0].line))
            }
            listItem = nil
        }
    }

    /// Parses each line alone first, so a broken template is reported on its own line.
    mutating func joinedInlines(_ parts: [(line: Int, text: String)]) -> [Inline]? {
        var ok = true
        for part in parts where inlines(part.text, line: part.line) == nil { ok = false }
        guard ok else { return nil }
        let joined = parts.map(\.text).joined(separator: " ")
        do {
            return try ProseParser.inlines(joined, file: file, line: parts[0].line).map { inline in
                guard case .template(var t, let style) = inline else { return inline }
                t.line = parts.first(where: { $0.text.contains("{{" + t.source + "}}") })?.line ?? parts[0].line
                return .template(t, style)
            }
        } catch {
            errors.append(error)
            return nil
        }
    }

    mutating func inlines(_ text: String, line: Int) -> [Inline]? {
        do {
            return try ProseParser.inlines(text, file: file, line: line)
        } catch {
            errors.append(error)
            return nil
        }
    }

    mutating func addProse(_ block: ProseBlock) {
        if steps.isEmpty { intro.append(block) } else { steps[steps.count - 1].items.append(.prose(block)) }
    }

    mutating func addAction(_ kind: ActionKind, line: Int) {
        guard !steps.isEmpty else {
            error(line, "'\(kind.name)' comes before the first step; put actions under a '## ' heading")
            return
        }
        steps[steps.count - 1].items.append(.action(LessonAction(kind, line: line)))
    }
}
