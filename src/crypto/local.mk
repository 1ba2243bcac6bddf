# crypto layer: sources are added by its owner
