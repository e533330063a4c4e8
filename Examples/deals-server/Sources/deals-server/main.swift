import Deals
import HuddleCommand

// Huddle's whole command line (serve, token, check-config, bench), with the
// deals plugin registered besides the built-in ones.
HuddleCommand.main(plugins: [DealsPlugin.self])
