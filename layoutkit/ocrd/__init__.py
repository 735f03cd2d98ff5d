"""layoutkit as an OCR-D processor (`ocrd-layoutkit`), for workflows run by `ocrd process`.

A thin shell: the processor (`processor.py`) hands each page's original image to the library's
`Pipeline` and turns the page into PAGE with the library's own writer (`export.page`). Its
parameters are described in `ocrd-tool.json` beside. Needs the `ocrd` extra
(`pip install 'layoutkit[ocrd]'`); nothing here is imported by the rest of the package.
"""
