// Placeholder until HuddleConfig lands.
