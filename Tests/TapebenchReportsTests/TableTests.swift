import Testing
import TapebenchReports

@Suite struct TableTests {
    @Test("Markdown tables align text left and numbers right")
    func markdown() {
        let table = Table(header: ["agent", "equity"], rows: [["a", "100.00"], ["long-name", "5.00"]])
        #expect(table.markdown() == """
            | agent     | equity |
            |:----------|-------:|
            | a         | 100.00 |
            | long-name |   5.00 |

            """)
    }
}
