"""Everything that touches Excel, files and users: readers, writers, CLI, server."""
