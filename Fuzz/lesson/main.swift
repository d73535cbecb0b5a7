import LessonKit

/// libFuzzer's entry: the bytes as a lesson file, through the reader and the parser.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLesson(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: start, count: count), as: UTF8.self) else { return 0 }
    _ = try? LessonParser.parse(text, file: "fuzz.md")
    return 0
}
