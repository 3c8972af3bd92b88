"""Files made from what the pages show: each chart as a PNG (png.py, kaleido and the system Chromium), each table as
.xlsx (xlsx.py), and the 简报 — one report's summary, KPIs, charts and checks — as Word (word.py, 公文 layout) or
slides (slides.py), both written from one content model (content.py).

Nothing is imported here: a page that only shows a chart loads neither python-docx nor python-pptx, and each caller
names the module it uses.
"""
