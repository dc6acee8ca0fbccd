"""The demo portfolio: six fictional accounts, written as data files and loaded through the services.

`load_demo(records)` creates whatever is missing; `demo_is_loaded(records)` says whether there is anything
left to create. The data files live in `data/`; their date convention is described at the top of each.
"""

from assistant.records.demo.datafiles import DemoDataError, read_demo_data
from assistant.records.demo.loader import demo_is_loaded, load_demo
from assistant.records.demo.report import AccountCounts, DemoReport

__all__ = ["AccountCounts", "DemoDataError", "DemoReport", "demo_is_loaded", "load_demo", "read_demo_data"]
