"""The desktop app: a thin PySide6 layer over the plain-Python services (the only package that imports Qt)."""
