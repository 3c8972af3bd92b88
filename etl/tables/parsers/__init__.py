"""One parser per table kind; each turns a RawTable (PDF grid or text lines alike) into contract rows."""
