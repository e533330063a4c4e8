// Placeholder until Notes lands.
