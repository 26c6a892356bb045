"""Reading what a bench station's tools say about a device (lshw, smartctl, dmidecode, lsblk, upower, EDID, an
eReuse Workbench snapshot). Pure: text and JSON in, a `Reading` out, or an InvalidInput naming what is wrong.

`read_snapshot(raw)` is the door: it recognises the format and returns what it could read.
"""

from marketplace.bench.detect import read_snapshot
from marketplace.bench.reading import Battery, Medium, Reading

__all__ = ["Battery", "Medium", "Reading", "read_snapshot"]
