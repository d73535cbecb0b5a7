import CNNCompute
import Testing
@testable import TutorUI

/// An image header that claims more values than the file holds is refused before anything is allocated.
@Suite struct SampleImageLimitsTests {
    @Test(arguments: ["P6 8192 8192 255 ", "P3 8192 8192 255 1 2 3", "P5 4 4 65535 \u{0}\u{1}"])
    func aHeaderThatOverclaimsIsCutShort(_ header: String) {
        do {
            _ = try SampleImage.netpbm(Array(header.utf8), name: "x.ppm")
            Issue.record("\(header) was read")
        } catch {
            #expect(error.description.contains("x.ppm: the image is cut short"), "\(error)")
        }
    }

    @Test func anASCIIImageThatFitsIsRead() throws {
        let image = try SampleImage.netpbm(Array("P2 2 1 4 0 4".utf8), name: "x.pgm")
        #expect(image.pixels == [0, 1])
    }
}
