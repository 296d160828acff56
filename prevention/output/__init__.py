"""Output: figures, the region map, and the files people download (csv, xlsx, docx, pdf)."""
