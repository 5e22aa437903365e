"""Personal data (AVG): the inventory, export, erasure and retention."""
