"""Time the report writers on the sample month report.

Run from a checkout:  PYTHONPATH=src python bench/bench_report_render.py [--runs N]
Targets: write_xlsx < 0.5 s, write_pdf < 1.0 s; the first PDF includes font registration
(parsing the TTF files, done once per process and cached).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from silverdesk.reports.fonts import register_fonts
from silverdesk.reports.pdf import write_pdf
from silverdesk.reports.sample import sample_report_data
from silverdesk.reports.xlsx import write_xlsx

XLSX_TARGET = 0.5
PDF_TARGET = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = sample_report_data()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        t0 = time.perf_counter()
        fonts = register_fonts()
        first_pdf_path = write_pdf(data, out / "first.pdf", fonts=fonts)
        first_pdf = time.perf_counter() - t0
        xlsx_times, pdf_times = [], []
        for i in range(args.runs):
            t0 = time.perf_counter()
            write_xlsx(data, out / f"r{i}.xlsx")
            xlsx_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            write_pdf(data, out / f"r{i}.pdf", fonts=fonts)
            pdf_times.append(time.perf_counter() - t0)
        size_pdf = first_pdf_path.stat().st_size
        size_xlsx = (out / "r0.xlsx").stat().st_size
    xlsx_med, pdf_med = statistics.median(xlsx_times), statistics.median(pdf_times)
    print(f"fonts: {', '.join(f'{k}={v}' for k, v in fonts.files.items())}")
    print(f"write_xlsx  median {xlsx_med:.3f} s  (target < {XLSX_TARGET} s)  {size_xlsx / 1024:.0f} KiB")
    print(f"write_pdf   first  {first_pdf:.3f} s incl. font registration  (target < {PDF_TARGET} s)")
    print(f"write_pdf   median {pdf_med:.3f} s  {size_pdf / 1024:.0f} KiB")
    ok = xlsx_med < XLSX_TARGET and first_pdf < PDF_TARGET
    print("OK" if ok else "SLOWER THAN TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
