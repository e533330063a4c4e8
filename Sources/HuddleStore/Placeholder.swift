// Placeholder until HuddleStore lands.
