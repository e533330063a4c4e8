// Placeholder until Kanban lands.
