"""The methodology, shipped inside the package as `planner.documents` for the app to show."""
