import Glibc
import TutorUI

/// Decides, before any curses call, whether this terminal can run the full-screen app.
public enum TerminalCheck {
    /// Why the app falls back to plain text, or nil when curses may start.
    public static func reasonForPlainText(environment: [String: String], stdinIsTTY: Bool, stdoutIsTTY: Bool) -> String? {
        if !stdoutIsTTY { return "standard output is not a terminal" }
        if !stdinIsTTY { return "standard input is not a terminal" }
        let term = environment["TERM"] ?? ""
        if term.isEmpty { return "TERM is not set" }
        if term == "dumb" { return "TERM=dumb can't draw a full-screen app" }
        return nil
    }

    /// The same check on this process.
    public static func reasonForPlainText() -> String? {
        reasonForPlainText(environment: ProcessEnvironment.current, stdinIsTTY: isatty(0) == 1, stdoutIsTTY: isatty(1) == 1)
    }

    /// True when the locale's character set is UTF-8 (call after `setlocale`).
    public static func localeIsUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).lowercased().replacingOccurrences("-", "")
        return name == "utf8"
    }
}

/// The process environment as a dictionary, without Foundation.
public enum ProcessEnvironment {
    public static var current: [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }
}

extension String {
    func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
