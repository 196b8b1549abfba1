"""Prints the text of each page of a PDF as PDFium extracts it, as a JSON
list of strings: a second reader beside poppler for tests/integration/pdf.rs."""
import json
import sys

import pypdfium2 as pdfium

pdf = pdfium.PdfDocument(sys.argv[1])
print(json.dumps([page.get_textpage().get_text_range() for page in pdf]))
