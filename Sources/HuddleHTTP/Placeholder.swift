// Placeholder until HuddleHTTP lands.
