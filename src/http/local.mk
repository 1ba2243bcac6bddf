# http layer: sources are added by its owner
