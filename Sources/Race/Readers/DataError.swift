/// Why a data file can't be read: the file, and what is wrong with it.
public struct DataError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file (or folder) at fault, as the user named it.
    public var file: String
    public var reason: String

    public init(file: String, _ reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}
