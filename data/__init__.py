"""The bundled data of the planner, shipped inside the package as `planner.bundled`."""
