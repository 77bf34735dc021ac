"""The PDF step removed, for the HTML-only figure: imported by the process that builds and by
the fork server that starts its workers (`runners.WORKER_MODULES`), so no worker renders a PDF."""
from leaflet_l10n import render

render.pdf_bytes = lambda html, where: b""
