// Placeholder until HuddleLoop lands.
