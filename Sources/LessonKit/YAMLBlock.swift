import Yams

/// A YAML mapping from a lesson file, with the file line of every key.
struct YAMLBlock {
    struct Entry {
        var key: String
        var value: Node
        /// The file line of the key.
        var line: Int
    }
    var entries: [Entry]
    /// The file line of the block's first YAML line.
    var firstLine: Int

    subscript(_ key: String) -> Entry? { entries.first { $0.key == key } }

    /// Parses `text`, whose first line is file line `firstLine`.
    ///
    /// - Returns: the mapping, or an error with the file line of the problem.
    static func parse(_ text: String, firstLine: Int, file: String, what: String) -> Result<YAMLBlock, LessonError> {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let (line, problem) = Self.locate(error)
            return .failure(LessonError(file: file, line: firstLine + max(line, 1) - 1, "invalid YAML in \(what): \(problem)"))
        } catch {
            return .failure(LessonError(file: file, line: firstLine, "invalid YAML in \(what): \(error)"))
        }
        guard let node, let mapping = node.mapping else {
            return .failure(LessonError(file: file, line: firstLine, "\(what) must be YAML 'key: value' lines"))
        }
        var entries: [Entry] = []
        for (k, v) in mapping {
            guard let key = k.string else {
                return .failure(LessonError(file: file, line: firstLine + (k.mark?.line ?? 1) - 1, "\(what): keys must be words"))
            }
            entries.append(Entry(key: key, value: v, line: firstLine + (k.mark?.line ?? 1) - 1))
        }
        return .success(YAMLBlock(entries: entries, firstLine: firstLine))
    }

    static func locate(_ error: YamlError) -> (Int, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return (mark.line, [context?.text, problem].compactMap { $0 }.joined(separator: ": "))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return (context.mark.line, "duplicate key \(duplicates.joined(separator: ", "))")
        default:
            return (1, "\(error)")
        }
    }

    /// The file line where a value's text starts (a `|` block starts on the next line).
    func contentLine(of entry: Entry) -> Int {
        guard let mark = entry.value.mark else { return entry.line }
        var line = firstLine + mark.line - 1
        if let style = entry.value.scalar?.style, style == .literal || style == .folded { line += 1 }
        return line
    }
}

extension Node {
    /// A scalar's text, or each item of a sequence of scalars.
    var strings: [String]? {
        if let s = scalar?.string { return [s] }
        if let seq = sequence {
            var out: [String] = []
            for item in seq {
                guard let s = item.scalar?.string else { return nil }
                out.append(s)
            }
            return out
        }
        return nil
    }
}
