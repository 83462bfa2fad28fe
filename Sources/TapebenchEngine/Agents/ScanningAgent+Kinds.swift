import TapebenchCore

// The built-in scanning kinds as concrete agents. A lane holds its agent as `any Agent`; the conformance of a
// generic type (`ScanningAgent<Scanner>`) is reached through its generic witness, so every call ran the
// scanning code unspecialized: the scanner's state through run-time metadata, each bar fed through a witness
// call (≈ 1.5 % of a 200-ticker replay). The conformance of a concrete type runs the specialized code.

/// `ScanningAgent` over `VWAPMeanReversionAgent`, as the `vwap_mean_reversion` kind makes it.
struct VWAPScanningAgent: Agent {
    var scanning: ScanningAgent<VWAPMeanReversionAgent>
    mutating func decide(_ view: AgentView) -> [AgentAction] { scanning.decide(view) }
}

/// `ScanningAgent` over `BreakoutAgent`, as the `breakout` kind makes it.
struct BreakoutScanningAgent: Agent {
    var scanning: ScanningAgent<BreakoutAgent>
    mutating func decide(_ view: AgentView) -> [AgentAction] { scanning.decide(view) }
}

/// `ScanningAgent` over `VolumeSurgeAgent`, as the `volume_surge` kind makes it.
struct VolumeSurgeScanningAgent: Agent {
    var scanning: ScanningAgent<VolumeSurgeAgent>
    mutating func decide(_ view: AgentView) -> [AgentAction] { scanning.decide(view) }
}
