import Yams

extension LessonFileReader {
    static let frontMatterKeys = ["id", "title", "order", "minutes", "requires"]

    /// Reads the `---` front matter; returns the metadata and the index of the first body line.
    mutating func frontMatter() -> (LessonMeta, Int)? {
        guard lines.first?.trimmingSpaces() == "---" else {
            error(1, "a lesson starts with YAML front matter: a '---' line, then id, title, order, minutes, requires, then '---'")
            return nil
        }
        guard let close = lines.indices.dropFirst().first(where: { lines[$0].trimmingSpaces() == "---" || lines[$0].trimmingSpaces() == "..." }) else {
            error(1, "the front matter is not closed; add a '---' line after it")
            return nil
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        let block: YAMLBlock
        switch YAMLBlock.parse(yaml, firstLine: 2, file: file, what: "the front matter") {
        case .failure(let e): errors.append(e); return nil
        case .success(let b): block = b
        }
        for entry in block.entries where !Self.frontMatterKeys.contains(entry.key) {
            error(entry.line, "unknown front matter key '\(entry.key)'; use \(Self.frontMatterKeys.joined(separator: ", "))")
        }
        func string(_ key: String) -> String? {
            guard let e = block[key] else { error(1, "the front matter has no '\(key):'"); return nil }
            guard let s = e.value.scalar?.string, !s.isEmpty else { error(e.line, "'\(key):' must be text"); return nil }
            return s
        }
        func int(_ key: String, default value: Int?) -> Int? {
            guard let e = block[key] else {
                if value == nil { error(1, "the front matter has no '\(key):'") }
                return value
            }
            guard let n = e.value.int, n >= 0 else { error(e.line, "'\(key):' must be a whole number"); return nil }
            return n
        }
        let id = string("id"), title = string("title")
        let order = int("order", default: nil), minutes = int("minutes", default: 10)
        if let id, !id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            error(block["id"]?.line ?? 2, "id '\(id)' may use only letters, digits, '-' and '_'")
        }
        var requires: [String] = []
        if let e = block["requires"] {
            if e.value.scalar?.string == "" || e.value.scalar?.tag.rawValue == Tag.Name.null.rawValue {
                requires = []
            } else if let list = e.value.strings {
                requires = list
            } else {
                error(e.line, "'requires:' must be a list of lesson ids")
            }
        }
        guard let id, let title, let order, let minutes else { return nil }
        return (LessonMeta(id: id, title: title, order: order, minutes: minutes, requires: requires), close + 1)
    }
}
