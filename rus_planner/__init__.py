"""RUS Planner: spatial analysis for Swedish regional development strategies."""
