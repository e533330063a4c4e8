// Placeholder until HuddleCore lands.
