"""reportlab flowables for worksheet blocks: writing lines, boxes, tick boxes, scales, grids."""
