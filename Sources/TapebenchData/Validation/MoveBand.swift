import TapebenchCore

/// The prices b whose move from a close a is within `limit` basis points (`Validator.moves(a, b, moreThan:
/// limit)` is false), as one closed range of raw values: the bad-tick rule tests four prices against the same
/// close, so the bound is computed once per bar and each test is two compares of 64-bit values.
///
/// round(20,000·|b − a| / 2a) > t  ⟺  20,000·|b − a| > B, or = B with t odd (B = (2t + 1)·a; ties round half
/// to even); |b − a| is whole, so that is |b − a| > ⌊B / 20,000⌋, less one when B / 20,000 is whole and t odd.
struct MoveBand {
    let lowest: Int64
    let highest: Int64

    /// nil outside the plain case (a not positive, a negative or huge limit, or B beyond Int64): there the
    /// caller asks `Validator.moves(_:_:moreThan:)` for each price.
    @inline(__always)
    init?(around a: Price, limit: Int64) {
        guard a.raw > 0, limit >= 0, limit < 1 << 40 else { return nil }
        let (bound, overflow) = (2 * limit + 1).multipliedReportingOverflow(by: a.raw)
        guard !overflow else { return nil }
        var within = bound / 20_000
        if limit % 2 != 0 && within * 20_000 == bound { within -= 1 }
        lowest = a.raw - within  // a > 0 and within ≥ 0: no overflow
        let (high, beyond) = a.raw.addingReportingOverflow(within)
        highest = beyond ? .max : high  // nothing above Int64.max moves past it
    }

    @inline(__always)
    func contains(_ price: Price) -> Bool { price.raw >= lowest && price.raw <= highest }
}
