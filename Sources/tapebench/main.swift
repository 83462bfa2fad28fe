// The `tapebench` executable: the command tree with the built-in agent kinds, and `serve`. A package with agent
// kinds of its own has an executable like this one, passing its kinds to `Tapebench.main(agents:)`; `serve` is
// added here, not in the TapebenchCLI library, so that such a package does not build the HTTP server
// (Hummingbird, swift-nio) with it.
import TapebenchCLI

Tapebench.main(agents: [], commands: [ServeCommand.self])
