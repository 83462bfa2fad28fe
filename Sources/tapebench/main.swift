// The `tapebench` executable: the command tree with the built-in agent kinds. A package with agent kinds
// of its own has an executable just like this one, passing its kinds to `Tapebench.main(agents:)`.
import TapebenchCLI

Tapebench.main(agents: [])
