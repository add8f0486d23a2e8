"""The three Flask services of the mesh: order -> invoice -> tax."""
