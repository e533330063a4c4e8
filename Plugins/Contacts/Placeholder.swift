// Placeholder until Contacts lands.
