// Tapebench's command line, with one more agent kind: `kind: opening_range_breakout`.
import TapebenchCLI

Tapebench.main(agents: [OpeningRangeBreakoutKind()])
