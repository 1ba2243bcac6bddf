# db layer: sources are added by its owner
