// Placeholder until HuddleWebSocket lands.
