// Placeholder until HuddleServer lands.
