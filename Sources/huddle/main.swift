import HuddleCommand

HuddleCommand.main(plugins: [])
