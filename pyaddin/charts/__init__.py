"""Pictures the actions draw (matplotlib): the fishbone diagram; reports add theirs later."""
